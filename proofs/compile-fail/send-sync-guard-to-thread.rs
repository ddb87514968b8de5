// Claim: a std `MutexGuard` cannot be moved to another thread, not even to a scoped
// thread that ends before the mutex does: it is not `Send`. (Sharing it by reference is
// allowed, because it is `Sync`; the book shows that case as a snippet that runs.)
//
// Book: "Send and Sync from first principles" (src/understanding/send-sync.md) and "Why a
// MutexGuard is not Send" (src/understanding/why-guard-not-send.md).

use std::sync::Mutex;
use std::thread;

fn main() {
    // ANCHOR: move
    let totals = Mutex::new(vec![3, 4, 5]);
    let mut guard = totals.lock().unwrap();
    guard.push(6);
    thread::scope(|s| {
        s.spawn(move || drop(guard)); // unlock on the other thread
    });
    // ANCHOR_END: move
}
