// Claim: `tokio::time::timeout` cannot rescue a task that blocks its thread in a std
// `lock()`. A timeout is a future like any other: it can only fire when the runtime gets
// to poll it, and the runtime's only thread is stuck inside `lock()`, waiting for a guard
// that belongs to a task on that same thread. Nothing compiles differently: `spawn_local`
// asks for no `Send`, so the guard held across the `.await` draws no error.
//
// Verdict: blocked
//
// Book: "The LocalSet deadlock" (src/traps/localset-deadlock.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use checker::harness::{self, Failure};
use tokio::task::{self, LocalSet};

type Progress = Arc<Mutex<HashMap<u32, &'static str>>>;

// ANCHOR: tasks
async fn render(job: u32, progress: Progress) {
    let mut stages = progress.lock().unwrap();
    stages.insert(job, "rendering");
    tokio::time::sleep(Duration::from_millis(100)).await; // the render
    stages.insert(job, "done");
}

async fn report(progress: Progress) -> Option<usize> {
    let count = async { progress.lock().unwrap().len() };
    tokio::time::timeout(Duration::from_millis(10), count)
        .await
        .ok()
}
// ANCHOR_END: tasks

fn main() {
    harness::run("a timeout around a blocked lock", async {
        let progress = Progress::default();
        let local = LocalSet::new();
        let reported = local
            .run_until(async {
                let rendering = task::spawn_local(render(1, Arc::clone(&progress)));
                let reporting = task::spawn_local(report(Arc::clone(&progress)));
                rendering.await.ok();
                reporting.await.ok().flatten()
            })
            .await;
        reported
            .map(|_| ())
            .ok_or_else(|| Failure::new("the report timed out"))
    });
}
