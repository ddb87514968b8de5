//! The thumbnail job queue (exercises 08, 16, 23 and 27).
//!
//! Uploaded images wait in a backlog as [`Job`]s; workers take them one at a time and have
//! the render farm turn each into a thumbnail ([`Renderer::render`]), which takes
//! [`RENDER_LATENCY`]. A few workers side by side get through the backlog in a fraction of
//! the time one would.
//!
//! Exercise 27 renders on the app's own GPU instead, through a [`LocalRenderer`] that must
//! stay on the thread that created it; its workers run on a `LocalSet` and report how far
//! each job has got in a [`Progress`] map that the status page reads from another thread.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long the render farm takes to render one thumbnail.
pub const RENDER_LATENCY: Duration = Duration::from_millis(100);

/// How many workers render side by side.
pub const WORKERS: usize = 4;

/// How many jobs wait in the backlog when the check starts.
pub const JOBS: usize = 12;

/// One image waiting for its thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: u32,
    pub image: String,
}

/// A connection to the render farm. There is one per app; it is `Send` and `Sync`, but not
/// `Clone`: share it.
#[derive(Debug, Default)]
pub struct Renderer {
    rendered: Arc<Mutex<BTreeMap<u32, usize>>>,
}

impl Renderer {
    /// Renders the thumbnail of `job` and stores it next to the image.
    pub async fn render(&self, job: &Job) {
        tokio::time::sleep(RENDER_LATENCY).await;
        if let Ok(mut rendered) = self.rendered.lock() {
            *rendered.entry(job.id).or_default() += 1;
        }
    }
}

fn backlog() -> Vec<Job> {
    (1..=JOBS as u32)
        .map(|id| Job {
            id,
            image: format!("uploads/{id}.png"),
        })
        .collect()
}

/// Checks a job runner and ends the process with the verdict.
///
/// `start` receives the backlog and the renderer, and returns a future that renders every
/// job and ends when all are done. With [`WORKERS`] workers (or more) side by side, that
/// takes no longer than [`JOBS`] / [`WORKERS`] renders one after the other.
pub fn check<F, Fut>(start: F) -> !
where
    F: FnOnce(Vec<Job>, Renderer) -> Fut,
    Fut: Future<Output = ()>,
{
    harness::run("thumbnail jobs", async move {
        let renderer = Renderer::default();
        let rendered = Arc::clone(&renderer.rendered);
        let ((), elapsed) = timed(start(backlog(), renderer)).await;
        let rendered = rendered.lock().map(|r| r.clone()).unwrap_or_default();
        every_job_rendered_once(&rendered)?;
        let allowed = RENDER_LATENCY * JOBS.div_ceil(WORKERS) as u32;
        ensure(elapsed <= allowed, || {
            format!(
                "{JOBS} jobs took {:.1}× the time of one render; {WORKERS} workers side by side \
                 take {}×: the jobs were not rendered concurrently",
                times(elapsed, RENDER_LATENCY),
                JOBS.div_ceil(WORKERS)
            )
        })
    })
}

fn every_job_rendered_once(rendered: &BTreeMap<u32, usize>) -> Result<(), Failure> {
    let missing: Vec<u32> = (1..=JOBS as u32)
        .filter(|id| !rendered.contains_key(id))
        .collect();
    ensure(missing.is_empty(), || {
        format!("jobs {missing:?} were never rendered")
    })?;
    let twice: Vec<u32> = rendered
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, _)| *id)
        .collect();
    ensure(twice.is_empty(), || {
        format!("jobs {twice:?} were rendered more than once")
    })
}

/// How long a GPU render may take before the worker gives up on it.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(1);

/// The image in the backlog of exercise 27 that makes the GPU hang.
pub const CORRUPT_IMAGE: &str = "uploads/corrupt.png";

/// How far a job has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Rendering,
    Done,
    /// The render did not finish within [`RENDER_TIMEOUT`].
    GaveUp,
}

/// How far each job has got, by job id. The status page reads it from another thread,
/// which is why it sits behind a std `Mutex`.
pub type Progress = Arc<Mutex<HashMap<u32, Stage>>>;

/// A handle to the GPU context, which must stay on the thread that created it: it is
/// neither `Send` nor `Sync`. Rendering with it is async, like any GPU work.
#[derive(Debug, Default)]
pub struct LocalRenderer {
    rendered: Arc<Mutex<BTreeMap<u32, usize>>>,
    _stays_on_its_thread: PhantomData<Rc<()>>,
}

impl LocalRenderer {
    /// Renders the thumbnail of `job`. The corrupt image never finishes.
    pub async fn render(&self, job: &Job) {
        if job.image == CORRUPT_IMAGE {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(RENDER_LATENCY).await;
        if let Ok(mut rendered) = self.rendered.lock() {
            *rendered.entry(job.id).or_default() += 1;
        }
    }
}

/// Checks a job runner that renders on a `LocalSet`, and ends the process with the verdict.
///
/// `start` receives the backlog (one of whose images hangs the GPU), the GPU renderer and
/// the progress map, and returns a future that runs [`WORKERS`] workers on a `LocalSet`
/// and ends when every job is done or given up. Halfway through the first renders the
/// status page reads the progress map.
pub fn check_local<F, Fut>(start: F) -> !
where
    F: FnOnce(Vec<Job>, LocalRenderer, Progress) -> Fut,
    Fut: Future<Output = ()>,
{
    harness::run("GPU thumbnail jobs", async move {
        let mut jobs = backlog();
        let corrupt = jobs[1].id;
        jobs[1].image = CORRUPT_IMAGE.into();
        let renderer = LocalRenderer::default();
        let rendered = Arc::clone(&renderer.rendered);
        let progress = Progress::default();

        let run = timed(start(jobs, renderer, Arc::clone(&progress)));
        let status_page = async {
            tokio::time::sleep(RENDER_LATENCY / 2).await;
            // Read from another thread, as the status page does.
            let progress = Arc::clone(&progress);
            let seen = std::thread::spawn(move || progress.lock().map(|p| p.clone()).ok())
                .join()
                .map_err(|_| Failure::new("the status page's thread panicked"))?
                .ok_or_else(|| Failure::new("the progress map is poisoned"))?;
            let rendering = seen.values().filter(|s| **s == Stage::Rendering).count();
            ensure(rendering == WORKERS, || {
                format!(
                    "halfway through the first renders the status page saw {rendering} jobs \
                     rendering instead of {WORKERS}: mark a job as rendering before its render \
                     starts ({seen:?})"
                )
            })
        };
        let (((), elapsed), seen) = tokio::join!(run, status_page);
        seen?;

        let progress = progress.lock().map(|p| p.clone()).unwrap_or_default();
        ensure(progress.get(&corrupt) == Some(&Stage::GaveUp), || {
            format!(
                "the job whose render hangs should end as Stage::GaveUp after {} s, but its \
                 stage is {:?}",
                RENDER_TIMEOUT.as_secs(),
                progress.get(&corrupt)
            )
        })?;
        let unfinished: Vec<_> = progress
            .iter()
            .filter(|(id, stage)| **id != corrupt && **stage != Stage::Done)
            .collect();
        ensure(unfinished.is_empty() && progress.len() == JOBS, || {
            format!(
                "every other job should end as Stage::Done, but the progress map says {progress:?}"
            )
        })?;
        let mut rendered = rendered.lock().map(|r| r.clone()).unwrap_or_default();
        rendered.insert(corrupt, 1);
        every_job_rendered_once(&rendered)?;
        // The worker that drew the corrupt image is stuck until the timeout; the other
        // three get through the rest of the backlog well before that.
        let allowed = RENDER_TIMEOUT + RENDER_LATENCY;
        ensure(elapsed <= allowed, || {
            format!(
                "{JOBS} jobs took {} ms: the workers did not render side by side",
                elapsed.as_millis()
            )
        })
    })
}
