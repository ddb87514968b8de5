use std::future::Future;
use std::pin::Pin;

/// A job's work, started on any of the runtime's threads.
pub type Work = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Anything that can be started as a job: every `async fn` without arguments whose future
/// can move between threads.
pub trait Job: Send + 'static {
    fn start(self) -> Work;
}

impl<F, Fut> Job for F
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    fn start(self) -> Work {
        Box::pin(self())
    }
}

/// Runs a job in the background.
pub fn schedule(job: impl Job) -> tokio::task::JoinHandle<()> {
    tokio::spawn(job.start())
}
