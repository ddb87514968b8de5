// Claim: `tokio::spawn` demands a `Send` future even inside a `current_thread` runtime,
// where every task runs on one thread. The bound is part of the function's signature,
// which cannot know what runtime it will be called in. Given to `block_on` instead, the
// same future compiles: proofs/compiles/who-demands-send-block-on.rs.
//
// Book: "Who demands Send" (src/understanding/who-demands-send.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn bump_slowly(hits: Arc<Mutex<u64>>) -> u64 {
    let mut count = hits.lock().unwrap();
    *count += 1;
    tokio::time::sleep(Duration::from_millis(5)).await;
    *count
}

// ANCHOR: spawn
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let hits = Arc::new(Mutex::new(0));
    let count = tokio::spawn(bump_slowly(hits)).await.unwrap();
    assert_eq!(count, 1);
}
// ANCHOR_END: spawn
