// Claim: the worker of exercise 08, guard and all, compiles when its future is awaited
// directly instead of spawned. Nothing asks for `Send` here: `#[tokio::main]` runs `main`
// with `block_on`, which does not move the future between threads. The guard is still
// held across the render (clippy's `await_holding_lock` says so), it is just not an error.
//
// Book: "Who demands Send" (src/understanding/who-demands-send.md).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use checker::jobs::{Job, Renderer};

type Backlog = Arc<Mutex<VecDeque<Job>>>;

// The point of this file is the lint's subject: a guard alive across an `.await`.
#[allow(clippy::await_holding_lock)]
async fn work(backlog: Backlog, renderer: Arc<Renderer>) {
    loop {
        let mut jobs = backlog.lock().unwrap();
        let Some(job) = jobs.pop_front() else {
            return;
        };
        renderer.render(&job).await;
    }
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let jobs = (1..=2).map(|id| Job {
        id,
        image: format!("uploads/{id}.png"),
    });
    let backlog = Arc::new(Mutex::new(jobs.collect()));
    // Awaited, not spawned: no `Send` bound anywhere, so this compiles.
    work(backlog, Arc::new(Renderer::default())).await;
}
