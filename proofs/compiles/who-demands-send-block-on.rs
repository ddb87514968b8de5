// Claim: a future that holds a std `MutexGuard` across an `.await` compiles when it is
// given to `Runtime::block_on`, on a `current_thread` runtime and on a multi-thread one
// alike. `block_on` polls the future on the thread that calls it and never hands it to a
// worker, so it asks for no `Send`. The same future given to `tokio::spawn` does not
// compile, even on a `current_thread` runtime:
// proofs/compile-fail/who-demands-send-current-thread.rs.
//
// Book: "Who demands Send" (src/understanding/who-demands-send.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::runtime::Builder;

// ANCHOR: bump
// The point of this file is the lint's subject: a guard alive across an `.await`.
#[allow(clippy::await_holding_lock)]
async fn bump_slowly(hits: Arc<Mutex<u64>>) -> u64 {
    let mut count = hits.lock().unwrap();
    *count += 1;
    tokio::time::sleep(Duration::from_millis(5)).await;
    *count
}
// ANCHOR_END: bump

fn main() {
    let hits = Arc::new(Mutex::new(0));

    // ANCHOR: block_on
    let one_thread = Builder::new_current_thread().enable_all().build().unwrap();
    assert_eq!(one_thread.block_on(bump_slowly(Arc::clone(&hits))), 1);

    let pool = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    assert_eq!(pool.block_on(bump_slowly(Arc::clone(&hits))), 2);
    // ANCHOR_END: block_on
}
