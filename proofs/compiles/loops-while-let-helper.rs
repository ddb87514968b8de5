// Claim: a `while let` whose condition calls a plain (not `async`) function that locks,
// takes a job and returns it, keeps no guard for the loop's body. The guard is a local of
// `next_job` and dies when `next_job` returns; the condition's only temporary is the
// `Option<Job>` it gives back. The workers are spawned on a `JoinSet`, which demands
// `Send` futures, and they render every job once.
//
// Book: "Loops and select!" (src/traps/loops-select.md).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinSet;

type Job = u32;
type Backlog = Arc<Mutex<VecDeque<Job>>>;

/// Stands in for the renderer: it takes a while, and records what it rendered.
async fn render(job: Job, rendered: &Mutex<Vec<Job>>) {
    tokio::time::sleep(Duration::from_millis(100)).await;
    rendered.lock().unwrap().push(job);
}

// ANCHOR: work
/// Takes the next job, if any. Not `async`: the guard cannot outlive the call.
fn next_job(backlog: &Mutex<VecDeque<Job>>) -> Option<Job> {
    backlog.lock().unwrap().pop_front()
}

async fn work(backlog: Backlog, rendered: Arc<Mutex<Vec<Job>>>) {
    while let Some(job) = next_job(&backlog) {
        render(job, &rendered).await;
    }
}
// ANCHOR_END: work

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let backlog: Backlog = Arc::new(Mutex::new((1..=12).collect()));
    let rendered = Arc::new(Mutex::new(Vec::new()));
    let mut workers = JoinSet::new();
    for _ in 0..4 {
        // `JoinSet::spawn` demands a `Send` future: that this compiles is the proof.
        workers.spawn(work(Arc::clone(&backlog), Arc::clone(&rendered)));
    }
    let started = tokio::time::Instant::now();
    workers.join_all().await;

    let mut rendered = rendered.lock().unwrap().clone();
    rendered.sort_unstable();
    assert_eq!(rendered, (1..=12).collect::<Vec<_>>());
    // Four workers side by side: 12 jobs take three renders' time, not twelve.
    assert_eq!(started.elapsed(), Duration::from_millis(300));
}
