// Claim: neither tokio's `Mutex` nor parking_lot's has poisoning. A task that panics while
// holding one of their guards unlocks it as the panic unwinds, and the next `lock()` simply
// succeeds: it returns a guard, not a `Result`, so there is nothing to `unwrap()`. What the
// panicking task had half done is there all the same, with no mark to tell you.
//
// Book: "Poisoning and unwrap" (src/traps/poisoning.md).

use std::collections::HashMap;
use std::sync::Arc;

#[tokio::main]
async fn main() {
    // Keep the expected panics' messages out of the output.
    std::panic::set_hook(Box::new(|_| {}));

    // ANCHOR: tokio
    let sessions = Arc::new(tokio::sync::Mutex::new(HashMap::<String, u32>::new()));
    let store = Arc::clone(&sessions);
    let task = tokio::spawn(async move {
        let mut sessions = store.lock().await;
        sessions.insert("mallory".into(), 1);
        panic!("a bug, halfway through an update");
    });
    assert!(task.await.unwrap_err().is_panic());
    // No `Result` to handle, and no sign that anything went wrong.
    assert!(sessions.lock().await.contains_key("mallory"));
    // ANCHOR_END: tokio

    let counts = Arc::new(parking_lot::Mutex::new(HashMap::<String, u32>::new()));
    let store = Arc::clone(&counts);
    let task = tokio::spawn(async move {
        let mut counts = store.lock();
        counts.insert("mallory".into(), 1);
        panic!("a bug, halfway through an update");
    });
    assert!(task.await.unwrap_err().is_panic());
    assert!(counts.lock().contains_key("mallory"));
}
