// Reproduces: https://github.com/tokio-rs/tokio/issues/3885 — the read guard of a std RwLock holding a timeout is a temporary of the statement that awaits the sleep.
// expect: kind=std-rwlock-guard shape=temporary-in-statement culprit=`RwLockReadGuard<'_, Duration>` value=timeout.read()
// expect-line: await=15
use std::sync::{Arc, RwLock};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let timeout = Arc::new(RwLock::new(Duration::from_millis(5)));
    let poller = tokio::spawn({
        let timeout = Arc::clone(&timeout);
        async move {
            for attempt in 1..=3 {
                println!("poll {attempt}");
                tokio::time::sleep(*timeout.read().unwrap()).await;
            }
        }
    });
    *timeout.write().unwrap() = Duration::from_millis(1);
    poller.await.unwrap();
}
