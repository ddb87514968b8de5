//! The disk-usage report (the page "Recursion, and futures that must be Sync").
//!
//! The backup service shows how much space each customer's folder takes. The folders live
//! in an object store, where listing a directory is a request that takes
//! [`LIST_LATENCY`]. A deep, wide tree listed one directory after another takes as many
//! round trips as it has directories; listing sibling directories side by side takes only
//! as many as the tree is deep.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long listing one directory takes.
pub const LIST_LATENCY: Duration = Duration::from_millis(30);

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File { name: String, size: u64 },
    Dir { name: String },
}

/// The object store. `Send` and `Sync`: share it in an `Arc`.
#[derive(Debug, Default)]
pub struct Store {
    dirs: HashMap<String, Vec<Entry>>,
    listed: Mutex<BTreeMap<String, usize>>,
}

impl Store {
    /// Lists the directory at `path` (such as `customers/acme/photos`). A path that is not
    /// a directory lists as empty.
    pub async fn list(&self, path: &str) -> Vec<Entry> {
        if let Ok(mut listed) = self.listed.lock() {
            *listed.entry(path.to_owned()).or_default() += 1;
        }
        tokio::time::sleep(LIST_LATENCY).await;
        self.dirs.get(path).cloned().unwrap_or_default()
    }
}

/// The depth of the tree below the root, in directories.
const DEPTH: u32 = 3;

/// How many subdirectories each directory above the last level has.
const FAN_OUT: usize = 3;

/// Builds a tree `DEPTH` levels deep, where every directory holds two files and, above the
/// last level, `FAN_OUT` subdirectories. Returns the store and the total size.
fn tree(root: &str) -> (Store, u64) {
    fn fill(dirs: &mut HashMap<String, Vec<Entry>>, path: &str, level: u32) -> u64 {
        let mut entries = vec![
            Entry::File {
                name: "index.json".into(),
                size: 100 + u64::from(level),
            },
            Entry::File {
                name: "blob.bin".into(),
                size: 4096 * (u64::from(level) + 1),
            },
        ];
        let mut total: u64 = entries
            .iter()
            .map(|e| match e {
                Entry::File { size, .. } => *size,
                Entry::Dir { .. } => 0,
            })
            .sum();
        if level < DEPTH {
            for i in 0..FAN_OUT {
                let name = format!("d{i}");
                total += fill(dirs, &format!("{path}/{name}"), level + 1);
                entries.push(Entry::Dir { name });
            }
        }
        dirs.insert(path.to_owned(), entries);
        total
    }
    let mut dirs = HashMap::new();
    let total = fill(&mut dirs, root, 0);
    let store = Store {
        dirs,
        listed: Mutex::default(),
    };
    (store, total)
}

/// Checks a disk-usage report and ends the process with the verdict.
///
/// `disk_usage` receives the store and a customer's root folder, and returns a future
/// whose output is the total size of every file under it. Every directory must be listed
/// once, and sibling directories side by side: the whole report may take no longer than
/// one listing per level of the tree.
pub fn check<F, Fut>(disk_usage: F) -> !
where
    F: FnOnce(Arc<Store>, String) -> Fut,
    Fut: Future<Output = u64>,
{
    harness::run("disk usage", async move {
        let root = "customers/acme";
        let (store, expected) = tree(root);
        let dirs = store.dirs.len();
        let store = Arc::new(store);
        let (total, elapsed) = timed(disk_usage(Arc::clone(&store), root.to_owned())).await;
        ensure(total == expected, || {
            format!("the files under {root} take {expected} bytes, but the report says {total}")
        })?;
        let listed = store.listed.lock().map_err(|_| Failure::new("poisoned"))?;
        let once = store.dirs.keys().all(|d| listed.get(d) == Some(&1));
        ensure(once && listed.len() == dirs, || {
            format!(
                "every directory should be listed exactly once, but the listings were {listed:?}"
            )
        })?;
        let levels = DEPTH + 1;
        ensure(elapsed <= LIST_LATENCY * levels, || {
            format!(
                "the report took {:.0}× one listing for a tree {levels} levels deep with {dirs} \
                 directories: sibling directories were not listed side by side",
                times(elapsed, LIST_LATENCY)
            )
        })
    })
}
