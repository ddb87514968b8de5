// Claim: clippy sees a guard the way the compiler does. A guard that was used and then
// given to `drop()` before the `.await` still counts as held there, so
// `await_holding_lock` warns (rust-lang/rust-clippy#6446), just as a spawn of this future
// would fail to compile (proofs/compile-fail/used-guard-drop.rs). A block ends the guard
// for both.
//
// Book: "Let clippy warn you" (src/traps/clippy.md).

use std::sync::Mutex;
use std::time::Duration;

// ANCHOR: held
pub async fn count(hits: &Mutex<u64>) {
    // warns on the next line: clippy::await_holding_lock
    let mut guard = hits.lock().unwrap();
    *guard += 1;
    drop(guard);
    tokio::time::sleep(Duration::from_millis(1)).await;
}
// ANCHOR_END: held

// ANCHOR: fixed
pub async fn count_fixed(hits: &Mutex<u64>) {
    {
        let mut guard = hits.lock().unwrap();
        *guard += 1;
    }
    tokio::time::sleep(Duration::from_millis(1)).await;
}
// ANCHOR_END: fixed
