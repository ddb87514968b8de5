//! The report exports (the exercise `export-worker-trait`).
//!
//! Every night the reporting service exports each customer's report: a job names the
//! report's key in object storage, a worker loads the report from the [`ObjectStore`] and hands
//! it to the [`Outbox`], which mails it. Loading takes [`LOAD_LATENCY`] and delivering
//! [`DELIVERY_LATENCY`]; the jobs are independent, so they run side by side.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::clock::{timed, times};
use crate::harness::{self, ensure};

/// How long object storage takes to answer.
pub const LOAD_LATENCY: Duration = Duration::from_millis(100);

/// How long the outbox takes to accept a report.
pub const DELIVERY_LATENCY: Duration = Duration::from_millis(50);

/// How many jobs the nightly run has.
pub const JOBS: u32 = 8;

/// One report to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportJob {
    pub id: u32,
    /// Where the report is in object storage.
    pub key: String,
}

/// Object storage could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// A client for the object storage the reports are kept in. Simulated; `Send`, `Sync`
/// and cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct ObjectStore {
    objects: Arc<HashMap<String, Vec<u8>>>,
    loads: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl ObjectStore {
    fn with_reports(jobs: &[ExportJob]) -> Self {
        let objects = jobs
            .iter()
            .map(|job| (job.key.clone(), report_bytes(job.id)))
            .collect();
        ObjectStore {
            objects: Arc::new(objects),
            loads: Arc::default(),
        }
    }

    /// The object stored under `key`, after [`LOAD_LATENCY`].
    pub async fn get_object(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        if let Ok(mut loads) = self.loads.lock() {
            *loads.entry(key.to_owned()).or_default() += 1;
        }
        tokio::time::sleep(LOAD_LATENCY).await;
        self.objects
            .get(key)
            .cloned()
            .ok_or_else(|| StoreError(format!("no object {key:?}")))
    }
}

/// The reports handed over so far: the job's id, and the report.
type Delivered = Arc<Mutex<Vec<(u32, Vec<u8>)>>>;

/// Where finished reports go to be mailed. Simulated; `Send`, `Sync`, cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    delivered: Delivered,
}

impl Outbox {
    /// Hands the report of job `job` over for mailing, after [`DELIVERY_LATENCY`].
    pub async fn deliver(&self, job: u32, report: Vec<u8>) {
        tokio::time::sleep(DELIVERY_LATENCY).await;
        if let Ok(mut delivered) = self.delivered.lock() {
            delivered.push((job, report));
        }
    }
}

fn report_bytes(id: u32) -> Vec<u8> {
    format!("report for customer {id}").into_bytes()
}

fn nightly_jobs() -> Vec<ExportJob> {
    (1..=JOBS)
        .map(|id| ExportJob {
            id,
            key: format!("reports/2026-12-01/{id}.pdf"),
        })
        .collect()
}

/// Checks an export run and ends the process with the verdict.
///
/// `start` receives object storage, tonight's jobs and the outbox, and returns a future that
/// exports every job and ends when all are delivered. Side by side, that takes one load and
/// one delivery, not [`JOBS`] of each.
pub fn check<F, Fut>(start: F) -> !
where
    F: FnOnce(ObjectStore, Vec<ExportJob>, Outbox) -> Fut,
    Fut: Future<Output = ()>,
{
    harness::run("nightly report exports", async move {
        let jobs = nightly_jobs();
        let objects = ObjectStore::with_reports(&jobs);
        let loads = Arc::clone(&objects.loads);
        let outbox = Outbox::default();
        let delivered = Arc::clone(&outbox.delivered);

        let ((), elapsed) = timed(start(objects, jobs.clone(), outbox)).await;

        let mut delivered = delivered.lock().map(|d| d.clone()).unwrap_or_default();
        delivered.sort();
        let ids: Vec<u32> = delivered.iter().map(|(id, _)| *id).collect();
        let expected: Vec<u32> = jobs.iter().map(|job| job.id).collect();
        ensure(ids == expected, || {
            format!(
                "the outbox got the reports of jobs {ids:?}, expected each of {expected:?} once"
            )
        })?;
        for (id, report) in &delivered {
            ensure(*report == report_bytes(*id), || {
                format!("job {id} delivered someone else's report")
            })?;
        }
        let loads = loads.lock().map(|l| l.clone()).unwrap_or_default();
        ensure(loads.values().all(|n| *n == 1), || {
            format!("each report should be loaded once, but object storage saw {loads:?}")
        })?;
        let allowed = LOAD_LATENCY + DELIVERY_LATENCY;
        ensure(elapsed <= allowed, || {
            format!(
                "{JOBS} exports took {:.1}× the time of one (a load and a delivery): the jobs \
                 did not run side by side",
                times(elapsed, allowed)
            )
        })
    })
}
