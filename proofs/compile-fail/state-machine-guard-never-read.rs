// Claim: a guard that is never read after the `.await` is still alive at it, because its
// destructor, which unlocks the mutex, runs at the end of its scope, after the `.await`.
// So the future is not `Send`, and `tokio::spawn` refuses it. A name that starts with an
// underscore changes nothing: `_guard` is a variable like any other (only `let _ = …`
// drops the value at once).
//
// Book: "What an async fn becomes" (src/understanding/state-machine.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: quietly
async fn visit_quietly(visits: Arc<Mutex<u64>>, name: String) -> String {
    let _guard = visits.lock().unwrap();
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("Welcome, {name}")
}
// ANCHOR_END: quietly

#[tokio::main]
async fn main() {
    let visits = Arc::new(Mutex::new(0));
    let greeting = tokio::spawn(visit_quietly(visits, "Ana".to_owned()));
    assert_eq!(greeting.await.unwrap(), "Welcome, Ana");
}
