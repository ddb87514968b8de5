// # The renderer shared with Rc
//
// Story: the thumbnail service again (exercise `render-workers`), in a version that gives every job a
// task of its own. The tasks share the one connection to the render farm, so it is
// reference-counted: each task gets its own handle, cloned before the spawn.
//
// What is wrong: it does not compile. The spawned future "cannot be sent between threads
// safely", and no lock is involved anywhere.
//
// What to do: share the renderer in a way that may cross threads. Only `render_backlog`
// needs to change.
//
// Book: "Rc, Cell and RefCell" (src/other/rc-refcell.md).

use std::rc::Rc;

use checker::jobs::{Job, Renderer};
use tokio::task::JoinSet;

// ANCHOR: render_backlog
async fn render_backlog(jobs: Vec<Job>, renderer: Renderer) {
    let renderer = Rc::new(renderer);
    let mut renders = JoinSet::new();
    for job in jobs {
        let renderer = Rc::clone(&renderer);
        renders.spawn(async move {
            renderer.render(&job).await;
        });
    }
    renders.join_all().await;
}
// ANCHOR_END: render_backlog

// ---------------------------------------------------------------------------------------
// The checker's part: it runs the jobs and checks what was rendered. No need to change it.

fn main() {
    checker::jobs::check(render_backlog);
}
