use std::sync::Arc;
use std::time::Duration;

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
            self.perform(&name).await;
            self.stats.finished();
        }
    }

    async fn perform(&self, name: &str) {
        let cost = name.len() as u64;
        tokio::time::sleep(Duration::from_millis(cost)).await;
    }
}

/// Starts `count` workers on the runtime.
pub fn start(count: usize, queue: &Queue, stats: &Arc<Stats>) -> Vec<tokio::task::JoinHandle<()>> {
    (0..count)
        .map(|id| tokio::spawn(Worker::new(id, queue.clone(), stats.clone()).run(100)))
        .collect()
}
