// Claim: with parking_lot's `send_guard` feature, its `MutexGuard` is `Send`, so a future
// that holds one across an `.await` may be spawned: the error of exercise 15 goes away,
// and on a multi-threaded runtime the guard may be released by another thread than the
// one that took it (parking_lot's own lock allows that; std's does not promise it).
//
// Book: "parking_lot and send_guard" (src/beyond/parking-lot.md).

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

// Held across the `.await` on purpose: that is what this file is about.
#[allow(clippy::await_holding_lock)]
async fn count_slowly(hits: Arc<Mutex<u64>>) {
    let mut guard = hits.lock();
    tokio::time::sleep(Duration::from_millis(1)).await;
    *guard += 1;
}

#[test]
fn a_parking_lot_guard_with_send_guard_may_cross_an_await_in_a_spawned_task() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let hits = Arc::new(Mutex::new(0));
    // `tokio::spawn` demands a `Send` future: that this compiles is the proof.
    let task = runtime.spawn(count_slowly(Arc::clone(&hits)));
    runtime.block_on(task).expect("the task finishes");
    assert_eq!(*hits.lock(), 1);
}
