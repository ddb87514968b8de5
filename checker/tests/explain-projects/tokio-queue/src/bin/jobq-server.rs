use std::sync::Arc;

use jobq::stats::Stats;
use jobq::{Queue, schedule, worker};

async fn nightly_cleanup() {
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    println!("cleaned up");
}

async fn weekly_report() {
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    println!("report sent");
}

#[tokio::main]
async fn main() {
    let queue = Queue::default();
    let stats = Arc::new(Stats::default());
    let workers = worker::start(4, &queue, &stats);
    schedule(nightly_cleanup);
    let admin = jobq::named_jobs!["report" => weekly_report];
    println!("{} jobs on the admin page", admin.len());
    for name in ["resize", "thumbnail", "mail"] {
        queue.push(name);
    }
    queue.drain(std::time::Duration::from_secs(5)).await;
    let batch = tokio::spawn({
        let worker = worker::Worker::new(99, queue.clone(), stats.clone());
        async move {
            let names = vec!["mail".to_owned(), " mail".to_owned()];
            worker.run_batch(&names).await;
        }
    });
    batch.await.unwrap();
    let chain = tokio::spawn(worker::cascade("resize".to_owned()));
    println!("{} jobs in the resize chain", chain.await.unwrap_or(0));
    println!("{} jobs done by {} workers", stats.done(), workers.len());
}
