//! Avatar uploads to object storage (exercise `uploads-boxed-future`).
//!
//! When users change their avatar, the app stores each image in a [`ObjectBucket`] of remote
//! object storage; one upload takes [`UPLOAD_LATENCY`]. The app talks to the bucket through
//! a small storage library whose trait returns boxed futures, so that the app can pick a
//! storage backend at run time.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long the bucket takes to store one object.
pub const UPLOAD_LATENCY: Duration = Duration::from_millis(200);

/// How many avatars the check uploads at once.
pub const UPLOADS: usize = 6;

/// One image to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub key: String,
    pub bytes: Vec<u8>,
}

/// Why the bucket refused an object.
#[derive(Debug)]
pub struct StorageError(String);

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "object storage: {}", self.0)
    }
}

impl std::error::Error for StorageError {}

/// A bucket of remote object storage. Simulated: each upload takes [`UPLOAD_LATENCY`].
/// Cheap to clone; every clone is the same bucket.
#[derive(Debug, Clone, Default)]
pub struct ObjectBucket {
    stored: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl ObjectBucket {
    /// Stores `bytes` under `key`. Empty objects are refused.
    pub async fn upload(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        tokio::time::sleep(UPLOAD_LATENCY).await;
        if bytes.is_empty() {
            return Err(StorageError(format!("{key}: an object may not be empty")));
        }
        let mut stored = self
            .stored
            .lock()
            .map_err(|_| StorageError("the bucket is unavailable".into()))?;
        *stored.entry(key.to_owned()).or_default() += 1;
        Ok(())
    }
}

/// Checks an uploader and ends the process with the verdict.
///
/// `store_all` receives the bucket and [`UPLOADS`] avatars, and returns a future that
/// stores every one and ends when all are stored. Uploaded side by side, they take little
/// more than one upload's time.
pub fn check<F, Fut>(store_all: F) -> !
where
    F: FnOnce(ObjectBucket, Vec<Upload>) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    harness::run("avatar uploads", async move {
        let bucket = ObjectBucket::default();
        let uploads: Vec<Upload> = (1..=UPLOADS)
            .map(|n| Upload {
                key: format!("avatars/user-{n}.png"),
                bytes: vec![0x89; 64 * n],
            })
            .collect();
        let (outcome, elapsed) = timed(store_all(bucket.clone(), uploads.clone())).await;
        outcome.map_err(|err| Failure::new(format!("the uploads failed: {err:#}")))?;

        let stored = bucket.stored.lock().map(|s| s.clone()).unwrap_or_default();
        for upload in &uploads {
            match stored.get(&upload.key) {
                None => return Err(Failure::new(format!("{} was never stored", upload.key))),
                Some(1) => {}
                Some(n) => {
                    return Err(Failure::new(format!("{} was stored {n} times", upload.key)));
                }
            }
        }
        ensure(elapsed <= UPLOAD_LATENCY * 3 / 2, || {
            format!(
                "{UPLOADS} uploads took {:.1}× the time of one; side by side they take 1×",
                times(elapsed, UPLOAD_LATENCY)
            )
        })
    })
}
