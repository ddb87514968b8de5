// Claim: `tokio::sync::Mutex::lock_owned` returns an `OwnedMutexGuard`, which holds its own
// `Arc` to the mutex instead of borrowing it, so the guard can be moved into a spawned task
// (which needs `'static`) and released there.
//
// Book: "An async mutex" (src/fixes/async-mutex.md).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

// ANCHOR: owned
async fn send_in_background(connection: Arc<Mutex<Vec<String>>>, mail: String) {
    // Take the lock here, so mails go out in the order they were queued...
    let mut sent = connection.lock_owned().await;
    // ...and let a task of its own do the slow part, holding the lock until it is done.
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(5)).await;
        sent.push(mail);
    });
}
// ANCHOR_END: owned

#[tokio::main]
async fn main() {
    let connection = Arc::new(Mutex::new(Vec::new()));
    send_in_background(Arc::clone(&connection), "welcome".into()).await;
    send_in_background(Arc::clone(&connection), "receipt".into()).await;
    // The second send waited for the first task's guard: the order is kept.
    let sent = connection.lock().await;
    assert_eq!(*sent, ["welcome", "receipt"]);
}
