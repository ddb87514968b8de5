// Claim: `spawn_local` on a `LocalSet` accepts a future that holds a std `MutexGuard`
// across an `.await`: its tasks never leave the thread that runs the `LocalSet`, so it
// asks for no `Send`. It compiles and, with one task, runs. With two tasks that lock the
// same mutex it deadlocks; see "The LocalSet deadlock" (src/traps/localset-deadlock.md).
//
// Book: "Who demands Send" (src/understanding/who-demands-send.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::{self, LocalSet};

// The point of this file is the lint's subject: a guard alive across an `.await`.
#[allow(clippy::await_holding_lock)]
async fn bump_slowly(hits: Arc<Mutex<u64>>) -> u64 {
    let mut count = hits.lock().unwrap();
    *count += 1;
    tokio::time::sleep(Duration::from_millis(5)).await;
    *count
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let hits = Arc::new(Mutex::new(0));
    // ANCHOR: spawn_local
    let local = LocalSet::new();
    let count = local
        .run_until(async {
            task::spawn_local(bump_slowly(Arc::clone(&hits)))
                .await
                .unwrap()
        })
        .await;
    // ANCHOR_END: spawn_local
    assert_eq!(count, 1);
}
