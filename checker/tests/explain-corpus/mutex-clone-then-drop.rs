// Reproduces: https://github.com/rust-lang/rust/issues/140841 — the guard is used (its Arc cloned out) and then dropped by hand before the await, yet the compiler still counts it as alive.
// expect: kind=std-mutex-guard shape=dropped-after-borrow culprit=`MutexGuard<'_, Arc<Notify>>` value=current
// expect-line: await=19
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

struct Shutdown {
    // Replaced whenever a new generation of workers starts.
    signal: Mutex<Arc<Notify>>,
}

impl Shutdown {
    async fn wait(self: Arc<Self>) {
        let current = self.signal.lock().unwrap();
        let notify = current.clone();
        drop(current);
        notify.notified().await;
    }
}

#[tokio::main]
async fn main() {
    let shutdown = Arc::new(Shutdown {
        signal: Mutex::new(Arc::new(Notify::new())),
    });
    let waiter = tokio::spawn(Arc::clone(&shutdown).wait());
    tokio::time::sleep(Duration::from_millis(10)).await;
    shutdown.signal.lock().unwrap().notify_one();
    waiter.await.unwrap();
}
