// Claim: clippy's `await_holding_lock` looks at the guard's type, not at whether it is
// `Send`: with `send_guard` on, it still warns about a parking_lot guard held across an
// `.await`. checker/tests/send_guard.rs runs clippy on this file and expects the warning.
//
// Book: "parking_lot and send_guard" (src/beyond/parking-lot.md).

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

async fn count_slowly(hits: Arc<Mutex<u64>>) {
    let mut guard = hits.lock();
    tokio::time::sleep(Duration::from_millis(1)).await;
    *guard += 1;
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    // Spawned, so it must be `Send`: it is, with the feature.
    let task = runtime.spawn(count_slowly(Arc::new(Mutex::new(0))));
    runtime.block_on(task).expect("the task finishes");
}
