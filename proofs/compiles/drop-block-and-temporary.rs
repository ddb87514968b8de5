// Claim: the guard of proofs/compile-fail/used-guard-drop.rs, used the same way, no longer
// reaches the `.await` once its life ends by scope: in a block of its own, or as a
// temporary that dies at the end of its statement. Both futures are spawned, so both are
// `Send`.
//
// Book: "When drop() is not enough" (src/fixes/drop.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: block
async fn count_in_block(hits: Arc<Mutex<u64>>) {
    {
        let mut guard = hits.lock().unwrap();
        *guard += 1;
    }
    tokio::time::sleep(Duration::from_millis(1)).await;
}
// ANCHOR_END: block

// ANCHOR: temporary
async fn count_as_temporary(hits: Arc<Mutex<u64>>) {
    *hits.lock().unwrap() += 1;
    tokio::time::sleep(Duration::from_millis(1)).await;
}
// ANCHOR_END: temporary

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0));
    tokio::spawn(count_in_block(Arc::clone(&hits)))
        .await
        .unwrap();
    tokio::spawn(count_as_temporary(Arc::clone(&hits)))
        .await
        .unwrap();
    assert_eq!(*hits.lock().unwrap(), 2);
}
