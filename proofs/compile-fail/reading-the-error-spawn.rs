// Claim: the anatomy of the error, on a small program: a page-visit counter that keeps its
// `MutexGuard` alive across the `.await` of an audit call, spawned with `tokio::spawn`.
// The error names the spawned future, the guard's type, the variable that holds it, the
// `.await` it is alive at, and the bound that asked for `Send`.
//
// Book: "Reading the error, line by line" (src/understanding/reading-the-error.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Visits = Arc<Mutex<HashMap<String, u64>>>;

/// Stands in for writing an audit record to another service.
async fn audit(page: &str) {
    let _ = page;
    tokio::time::sleep(Duration::from_millis(1)).await;
}

// ANCHOR: count
async fn count_visit(visits: Visits, page: String) -> u64 {
    let mut counts = visits.lock().unwrap();
    let count = counts.entry(page.clone()).or_default();
    *count += 1;
    audit(&page).await;
    *count
}
// ANCHOR_END: count

#[tokio::main]
async fn main() {
    let visits = Visits::default();
    // ANCHOR: spawn
    let task = tokio::spawn(count_visit(Arc::clone(&visits), "/home".to_owned()));
    // ANCHOR_END: spawn
    assert_eq!(task.await.unwrap(), 1);
}
