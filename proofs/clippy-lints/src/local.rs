// Claim: `await_holding_lock` warns about a std guard held across an `.await` in a task
// given to `spawn_local`, where no `Send` is required and the compiler says nothing. This
// is the worker of exercise 27, which deadlocks.
//
// Book: "Let clippy warn you" (src/traps/clippy.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::LocalSet;

type Progress = Arc<Mutex<HashMap<u32, &'static str>>>;

async fn render(_job: u32) {
    tokio::time::sleep(Duration::from_millis(100)).await;
}

// ANCHOR: held
async fn work(jobs: Vec<u32>, progress: Progress) {
    for job in jobs {
        // warns on the next line: clippy::await_holding_lock
        let mut stages = progress.lock().unwrap();
        stages.insert(job, "rendering");
        render(job).await;
        stages.insert(job, "done");
    }
}
// ANCHOR_END: held

// ANCHOR: fixed
async fn work_fixed(jobs: Vec<u32>, progress: Progress) {
    for job in jobs {
        progress.lock().unwrap().insert(job, "rendering");
        render(job).await;
        progress.lock().unwrap().insert(job, "done");
    }
}
// ANCHOR_END: fixed

/// Runs both on a `LocalSet`: `spawn_local` asks for no `Send`, so both compile.
pub async fn run_workers(progress: Progress) {
    let workers = LocalSet::new();
    workers.spawn_local(work(vec![1, 2], Arc::clone(&progress)));
    workers.spawn_local(work_fixed(vec![3, 4], progress));
    workers.await;
}
