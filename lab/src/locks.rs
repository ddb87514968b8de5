//! The lock micro-benchmarks: which locks `benches/locks.rs` measures, and how their results
//! are read back from criterion's output folder.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::machine::Machine;

/// The locks the benchmark measures, by criterion id and by the name readers know.
pub const LOCKS: [(&str, &str); 5] = [
    ("std-mutex", "std::sync::Mutex"),
    ("parking-lot-mutex", "parking_lot::Mutex"),
    ("tokio-mutex", "tokio::sync::Mutex (lock().await)"),
    ("std-rwlock-read", "std::sync::RwLock (read)"),
    ("arc-swap-load", "arc_swap::ArcSwap (load)"),
];

/// The benchmark groups: alone, and with a second thread using the same lock.
pub const UNCONTENDED: &str = "uncontended";
pub const CONTENDED: &str = "contended";

/// The criterion settings `cargo xtask lab` passes; saved with the results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchSettings {
    pub warm_up_s: f64,
    pub measurement_s: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LockResults {
    pub machine: Machine,
    pub settings: BenchSettings,
    pub benches: Vec<LockBench>,
}

/// One lock in one group: nanoseconds per lock-and-unlock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LockBench {
    pub group: String,
    pub lock: String,
    pub mean_ns: f64,
    /// criterion's 95% confidence interval for the mean.
    pub mean_low_ns: f64,
    pub mean_high_ns: f64,
    pub median_ns: f64,
}

impl LockResults {
    pub fn get(&self, group: &str, lock: &str) -> Option<&LockBench> {
        self.benches
            .iter()
            .find(|b| b.group == group && b.lock == lock)
    }
}

/// The reader's name for a lock id.
pub fn label(lock: &str) -> &str {
    LOCKS
        .iter()
        .find(|(id, _)| *id == lock)
        .map_or(lock, |(_, label)| label)
}

/// Reads `<criterion_home>/<group>/<lock>/new/estimates.json` for every group and lock.
/// A missing benchmark is an error: the results would silently lose a bar.
pub fn collect(criterion_home: &Path) -> Result<Vec<LockBench>> {
    let mut benches = Vec::new();
    for group in [UNCONTENDED, CONTENDED] {
        for (lock, _) in LOCKS {
            let file = criterion_home
                .join(group)
                .join(lock)
                .join("new")
                .join("estimates.json");
            let text = fs::read_to_string(&file)
                .with_context(|| format!("no criterion estimates at {}", file.display()))?;
            let estimates: Estimates = serde_json::from_str(&text)
                .with_context(|| format!("{} is not criterion's estimates", file.display()))?;
            benches.push(LockBench {
                group: group.to_owned(),
                lock: lock.to_owned(),
                mean_ns: estimates.mean.point_estimate,
                mean_low_ns: estimates.mean.confidence_interval.lower_bound,
                mean_high_ns: estimates.mean.confidence_interval.upper_bound,
                median_ns: estimates.median.point_estimate,
            });
        }
    }
    Ok(benches)
}

/// The part of criterion's `estimates.json` we use (times in nanoseconds per iteration).
#[derive(Deserialize)]
struct Estimates {
    mean: Estimate,
    median: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: Interval,
}

#[derive(Deserialize)]
struct Interval {
    lower_bound: f64,
    upper_bound: f64,
}
