// # The tidier loop
//
// Story: the thumbnail workers of exercise `render-workers` compiled once each worker took its job with
// a guard that lived for one statement. A colleague then tidied the loop into a `while
// let`, which reads better and does the same thing.
//
// What is wrong: it no longer compiles. The future "cannot be sent between threads
// safely", although the guard is a temporary that is never given a name.
//
// What to do: take each job in a way that lets go of the lock before the render. Only
// `work` needs to change.
//
// Book: "Loops and select!" (src/traps/loops-select.md).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use checker::jobs::{Job, Renderer, WORKERS};
use tokio::task::JoinSet;

// ANCHOR: work
/// The jobs waiting to be rendered, shared by every worker.
type Backlog = Arc<Mutex<VecDeque<Job>>>;

async fn work(backlog: Backlog, renderer: Arc<Renderer>) {
    while let Some(job) = backlog.lock().unwrap().pop_front() {
        renderer.render(&job).await;
    }
}
// ANCHOR_END: work

// ANCHOR: render_backlog
async fn render_backlog(jobs: Vec<Job>, renderer: Renderer) {
    let backlog = Arc::new(Mutex::new(VecDeque::from(jobs)));
    let renderer = Arc::new(renderer);
    let mut workers = JoinSet::new();
    for _ in 0..WORKERS {
        workers.spawn(work(Arc::clone(&backlog), Arc::clone(&renderer)));
    }
    workers.join_all().await;
}
// ANCHOR_END: render_backlog

// ---------------------------------------------------------------------------------------
// The checker's part: it runs the jobs and checks what was rendered. No need to change it.

fn main() {
    checker::jobs::check(render_backlog);
}
