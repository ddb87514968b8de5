// Reproduces: https://github.com/rust-lang/rust/issues/102423 — a worker loop tests a std Mutex inside an `if let` scrutinee and awaits in the body; edition 2024 shortened only the else branch, so the guard is still alive here.
// expect: kind=std-mutex-guard shape=if-let-scrutinee culprit=`MutexGuard<'_, VecDeque<Job>>` value=queue.lock()
// expect-line: await=26
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug)]
struct Job {
    id: u32,
}

async fn run(job: Job) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("ran job {}", job.id);
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(VecDeque::from([Job { id: 1 }, Job { id: 2 }])));
    let worker = tokio::spawn({
        let queue = Arc::clone(&queue);
        async move {
            loop {
                if let Some(job) = queue.lock().unwrap().pop_front() {
                    run(job).await;
                } else {
                    break;
                }
            }
        }
    });
    worker.await.unwrap();
}
