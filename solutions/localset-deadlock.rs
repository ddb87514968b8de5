// # The error that went away
//
// Story: the thumbnail service now renders on its own GPU. The GPU handle must stay on
// the thread that created it (it is not `Send`), so the workers run on a `LocalSet` with
// `spawn_local`, which asks for no `Send` at all. They share the backlog with `Rc` and
// `RefCell`, and record each job's stage in a progress map that the status page reads from
// another thread; a render that hangs is given up after a timeout.
//
// What is wrong: it compiles, and it never finishes. The checker reports that the
// runtime's thread is blocked.
//
// What to do: make every job finish (or be given up on) while the status page keeps
// seeing each job's stage. Only `work` needs to change.
//
// Book: "The LocalSet deadlock" (src/traps/localset-deadlock.md).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use checker::jobs::{Job, LocalRenderer, Progress, RENDER_TIMEOUT, Stage, WORKERS};
use tokio::task::LocalSet;

// ANCHOR: work
async fn work(backlog: Rc<RefCell<VecDeque<Job>>>, gpu: Rc<LocalRenderer>, progress: Progress) {
    loop {
        let Some(job) = backlog.borrow_mut().pop_front() else {
            return;
        };
        // Lock the progress map for one statement at a time. A guard kept across the
        // render is a lock held while this task sleeps; the next worker on this same
        // thread then blocks in `lock()`, and with it the thread that was to wake us up.
        // (`spawn_local` asks for no `Send`, so the compiler no longer points this out.)
        progress.lock().unwrap().insert(job.id, Stage::Rendering);
        // A corrupt image can hang the GPU: give up on it after a while.
        let rendered = tokio::time::timeout(RENDER_TIMEOUT, gpu.render(&job)).await;
        let stage = if rendered.is_ok() {
            Stage::Done
        } else {
            Stage::GaveUp
        };
        progress.lock().unwrap().insert(job.id, stage);
    }
}
// ANCHOR_END: work

// ANCHOR: render_backlog
async fn render_backlog(jobs: Vec<Job>, gpu: LocalRenderer, progress: Progress) {
    let backlog = Rc::new(RefCell::new(VecDeque::from(jobs)));
    let gpu = Rc::new(gpu);
    let workers = LocalSet::new();
    for _ in 0..WORKERS {
        workers.spawn_local(work(Rc::clone(&backlog), Rc::clone(&gpu), progress.clone()));
    }
    // A `LocalSet` runs its tasks on this thread, until all of them have finished.
    workers.await;
}
// ANCHOR_END: render_backlog

// ---------------------------------------------------------------------------------------
// The checker's part: it runs the jobs and checks their progress. No need to change it.

fn main() {
    checker::jobs::check_local(render_backlog);
}
