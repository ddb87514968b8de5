use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use crate::queue::Queue;
use crate::stats::Stats;

/// Takes jobs from the queue and runs them, one at a time, until told to stop.
pub struct Worker {
    pub id: usize,
    queue: Queue,
    stats: Arc<Stats>,
}

impl Worker {
    pub fn new(id: usize, queue: Queue, stats: Arc<Stats>) -> Worker {
        Worker { id, queue, stats }
    }

    pub async fn run(self, jobs: usize) {
        for _ in 0..jobs {
            let name = self.queue.next().await;
            let span = tracing::info_span!("job", worker = self.id, %name);
            self.perform(&name).instrument(span).await;
            self.stats.finished();
        }
    }

    /// Runs a batch of jobs in order, with a pause between two (the mail server counts how
    /// often it is called).
    pub async fn run_batch(&self, names: &[String]) {
        let jobs: Vec<&str> = names.iter().map(|n| n.trim()).collect();
        for (i, name) in jobs.iter().enumerate() {
            if i > 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            self.perform(name).await;
            self.stats.finished();
        }
    }

    async fn perform(&self, name: &str) {
        let cost = name.len() as u64;
        tokio::time::sleep(Duration::from_millis(cost)).await;
    }
}

/// The jobs that must run after `name`: a resize makes thumbnails, which are mailed.
fn follow_ups(name: &str) -> Vec<String> {
    match name {
        "resize" => vec!["thumbnail".to_owned()],
        "thumbnail" => vec!["mail".to_owned(), "archive".to_owned()],
        _ => Vec::new(),
    }
}

/// Runs a job, then its follow-ups side by side, each in a task of its own; returns how many
/// jobs ran in all.
// Not an `async fn`, whatever clippy says: it spawns itself, and the compiler cannot prove an
// `async fn`'s future `Send` from inside its own body.
#[allow(clippy::manual_async_fn)]
pub fn cascade(name: String) -> impl Future<Output = usize> + Send {
    async move {
        tracing::debug!(%name, "cascade");
        tokio::time::sleep(Duration::from_millis(name.len() as u64)).await;
        let tasks: Vec<_> = follow_ups(&name)
            .into_iter()
            .map(|next| tokio::spawn(cascade(next)))
            .collect();
        let mut ran = 1;
        for task in tasks {
            ran += task.await.unwrap_or(0);
        }
        ran
    }
}

/// Starts `count` workers on the runtime.
pub fn start(count: usize, queue: &Queue, stats: &Arc<Stats>) -> Vec<tokio::task::JoinHandle<()>> {
    (0..count)
        .map(|id| tokio::spawn(Worker::new(id, queue.clone(), stats.clone()).run(100)))
        .collect()
}
