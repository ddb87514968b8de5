// Claim: the error is about values alive *at* an `.await`, not about locks in async code.
// The counter from proofs/compile-fail/reading-the-error-spawn.rs, with the audit call
// moved before the lock, holds its guard at no `.await`: its future is `Send`, and
// `tokio::spawn` accepts it.
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
    audit(&page).await;
    let mut counts = visits.lock().unwrap();
    let count = counts.entry(page).or_default();
    *count += 1;
    *count
}
// ANCHOR_END: count

#[tokio::main]
async fn main() {
    let visits = Visits::default();
    let first = tokio::spawn(count_visit(Arc::clone(&visits), "/home".to_owned()));
    assert_eq!(first.await.unwrap(), 1);
    let second = tokio::spawn(count_visit(Arc::clone(&visits), "/home".to_owned()));
    assert_eq!(second.await.unwrap(), 2);
}
