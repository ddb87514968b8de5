// Claim: `send_guard` silences the compiler, not the problem. Two tasks on a runtime with
// one thread: the first holds the lock across an `.await`; the second calls `lock()`,
// which blocks that one thread, so the first task can never run again to release it.
// The program stops for good, as std's mutex does on a `LocalSet` (exercise 27).
//
// Book: "parking_lot and send_guard" (src/beyond/parking-lot.md).

use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use parking_lot::Mutex;

/// How long to wait for the tasks in real time. Finishing takes a millisecond; a deadlock
/// never finishes, so any wait proves it, and a short one keeps the test fast.
const PATIENCE: Duration = Duration::from_secs(2);

// ANCHOR: count_slowly
// Held across the `.await` on purpose: that is the mistake this file demonstrates.
#[allow(clippy::await_holding_lock)]
async fn count_slowly(hits: Arc<Mutex<u64>>) {
    let mut guard = hits.lock();
    tokio::time::sleep(Duration::from_millis(1)).await;
    *guard += 1;
}
// ANCHOR_END: count_slowly

#[test]
fn a_guard_held_across_an_await_blocks_the_only_thread() {
    let (done, finished) = mpsc::channel();
    // The runtime runs on a thread of its own, which stays blocked after the test.
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let hits = Arc::new(Mutex::new(0));
        // ANCHOR: two_tasks
        let first = runtime.spawn(count_slowly(Arc::clone(&hits)));
        let second = runtime.spawn(count_slowly(Arc::clone(&hits)));
        runtime.block_on(async {
            let _ = first.await;
            let _ = second.await;
        });
        // ANCHOR_END: two_tasks
        let _ = done.send(());
    });
    assert_eq!(
        finished.recv_timeout(PATIENCE),
        Err(mpsc::RecvTimeoutError::Timeout),
        "the two tasks finished: the lock held across the await did not block the thread"
    );
}
