// Reproduces: https://github.com/fzyzcjy/flutter_rust_bridge/issues/2317 — a generic job struct stores its work as `Pin<Box<dyn Future<Output = anyhow::Result<T>>>>` without + Send, and the runner that awaits the field is spawned.
// expect: kind=boxed-future shape=awaits-non-send-future culprit=`dyn Future<Output = Result<T, anyhow::Error>>` value=job.work
use std::future::Future;
use std::pin::Pin;
use tokio::task::JoinSet;

struct Job<T> {
    name: String,
    work: Pin<Box<dyn Future<Output = anyhow::Result<T>>>>,
}

impl<T> Job<T> {
    fn new(name: &str, work: impl Future<Output = anyhow::Result<T>> + 'static) -> Self {
        Job { name: name.to_string(), work: Box::pin(work) }
    }
}

async fn run_job<T: Send + 'static>(job: Job<T>) -> anyhow::Result<T> {
    tracing::info!(name = %job.name, "starting");
    job.work.await
}

fn spawn_all<T: Send + 'static>(jobs: Vec<Job<T>>) -> JoinSet<anyhow::Result<T>> {
    let mut set = JoinSet::new();
    for job in jobs {
        set.spawn(run_job(job));
    }
    set
}

#[tokio::main]
async fn main() {
    let jobs = vec![
        Job::new("one", async { Ok(1u32) }),
        Job::new("two", async { Ok(2u32) }),
    ];
    let mut set = spawn_all(jobs);
    while let Some(r) = set.join_next().await {
        println!("{:?}", r.unwrap().unwrap());
    }
}
