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

/// A job with the name the server's admin page lists it under; `named_jobs!` makes them.
pub struct Named<F> {
    pub name: &'static str,
    pub job: F,
}

/// A named job, ready to start any number of times.
pub type DynJob = (&'static str, Box<dyn Fn() -> Work + Send + Sync>);

impl<F, Fut> Named<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    pub fn into_dyn(self) -> DynJob {
        let job = self.job;
        (self.name, Box::new(move || Box::pin(job()) as Work))
    }
}

/// `named_jobs!["report" => weekly_report, …]`: the admin page's list of jobs.
#[macro_export]
macro_rules! named_jobs {
    ($($name:literal => $job:path),* $(,)?) => {
        vec![$($crate::job::Named { name: $name, job: $job }.into_dyn()),*]
    };
}
