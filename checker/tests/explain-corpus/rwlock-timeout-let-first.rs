// Reproduces: https://github.com/tokio-rs/tokio/issues/3885 — the fix: copy the timeout out of the read guard in a statement of its own, so the guard dies at the `;` before the sleep.
// expect: compiles
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
                let wait = *timeout.read().unwrap();
                tokio::time::sleep(wait).await;
            }
        }
    });
    *timeout.write().unwrap() = Duration::from_millis(1);
    poller.await.unwrap();
}
