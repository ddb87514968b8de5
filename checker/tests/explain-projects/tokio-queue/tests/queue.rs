use std::sync::Arc;
use std::time::Duration;

use jobq::stats::Stats;
use jobq::{Queue, worker};

#[tokio::test(start_paused = true)]
async fn workers_empty_the_queue() {
    let queue = Queue::default();
    let stats = Arc::new(Stats::default());
    worker::start(2, &queue, &stats);
    for name in ["a", "bb", "ccc"] {
        queue.push(name);
    }
    assert!(queue.drain(Duration::from_secs(1)).await);
}

#[tokio::test]
async fn a_spawned_consumer_gets_every_name() {
    let queue = Queue::default();
    let consumer = tokio::spawn({
        let queue = queue.clone();
        async move { queue.next().await }
    });
    queue.push("only");
    assert_eq!(consumer.await.unwrap(), "only");
}
