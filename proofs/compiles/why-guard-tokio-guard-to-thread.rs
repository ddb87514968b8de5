// Claim: tokio's `MutexGuard` is `Send`, and may really be dropped on a thread other than
// the one that locked: here it is locked in a task, moved to a new OS thread and dropped
// there, and the mutex is free afterwards. Unlocking a tokio mutex gives a permit back to
// a semaphore, which any thread may do. The same moves with std's guard do not compile:
// proofs/compile-fail/send-sync-guard-to-thread.rs.
//
// Book: "Why a MutexGuard is not Send" (src/understanding/why-guard-not-send.md).

use std::thread;

use tokio::sync::Mutex;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: move
    let totals = Mutex::new(vec![3, 4, 5]);
    let locked_on = thread::current().id();
    let mut guard = totals.lock().await;
    guard.push(6);
    let unlocked_on = thread::scope(|s| {
        let unlock = s.spawn(move || {
            drop(guard);
            thread::current().id()
        });
        unlock.join().unwrap()
    });
    // ANCHOR_END: move
    assert_ne!(locked_on, unlocked_on);
    assert_eq!(totals.try_lock().unwrap().len(), 4);
}
