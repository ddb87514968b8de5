// Claim: `drop(guard)` before an `.await` does make the future `Send`, as long as the
// guard was never borrowed: the compiler (since Rust 1.74) sees that a moved-out variable
// holds nothing at the await.
//
// Book: "When drop() is not enough" (src/fixes/drop.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: touch
async fn touch(lock: Arc<Mutex<u64>>) {
    let guard = lock.lock().unwrap();
    drop(guard);
    tokio::time::sleep(Duration::from_millis(1)).await;
}
// ANCHOR_END: touch

#[tokio::main]
async fn main() {
    let lock = Arc::new(Mutex::new(0));
    // `tokio::spawn` demands a `Send` future: this line is the proof.
    tokio::spawn(touch(lock)).await.unwrap();
}
