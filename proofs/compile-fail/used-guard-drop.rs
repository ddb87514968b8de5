// Claim: once the guard has been used (here `*guard += 1`, a borrow through `DerefMut`),
// `drop(guard)` before the `.await` no longer convinces the compiler: a variable that was
// borrowed counts as alive to the end of its scope (rust-lang/rust#94067).
//
// Book: "When drop() is not enough" (src/fixes/drop.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: count
async fn count(hits: Arc<Mutex<u64>>) {
    let mut guard = hits.lock().unwrap();
    *guard += 1;
    drop(guard);
    tokio::time::sleep(Duration::from_millis(1)).await;
}
// ANCHOR_END: count

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0));
    tokio::spawn(count(hits)).await.unwrap();
}
