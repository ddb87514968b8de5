// # The workers that could not be spawned
//
// Story: a thumbnail service renders uploaded images. Its job runner used to be one loop,
// awaited right in `render_backlog`: it compiled, and it rendered one image at a time. To get through
// the backlog faster, it now spawns four copies of that loop as tasks.
//
// What is wrong: `work` has not changed, yet now it does not compile: the future "cannot
// be sent between threads safely". Nothing complained while it was only awaited.
//
// What to do: make the workers spawnable without changing what they do. Only `work`
// needs to change.
//
// Book: "Who demands Send" (src/understanding/who-demands-send.md).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use checker::jobs::{Job, Renderer, WORKERS};
use tokio::task::JoinSet;

// ANCHOR: work
/// The jobs waiting to be rendered, shared by every worker.
type Backlog = Arc<Mutex<VecDeque<Job>>>;

async fn work(backlog: Backlog, renderer: Arc<Renderer>) {
    loop {
        let mut jobs = backlog.lock().unwrap();
        let Some(job) = jobs.pop_front() else {
            return;
        };
        renderer.render(&job).await;
    }
}
// ANCHOR_END: work

// ANCHOR: render_backlog
async fn render_backlog(jobs: Vec<Job>, renderer: Renderer) {
    let backlog = Arc::new(Mutex::new(VecDeque::from(jobs)));
    let renderer = Arc::new(renderer);
    // This used to be `work(backlog, renderer).await`.
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
