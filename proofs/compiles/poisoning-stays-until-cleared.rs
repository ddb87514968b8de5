// Claim: a task that panics while it holds a std `MutexGuard` poisons the mutex, exactly
// as a thread would: from then on every `lock()` returns `Err(PoisonError)`. The error
// still carries the guard (`into_inner`), but taking it does not heal the mutex: the next
// `lock()` fails again, until `clear_poison()` is called. The panic does not undo the half
// of the update it interrupted.
//
// Book: "Poisoning and unwrap" (src/traps/poisoning.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Sessions = Arc<Mutex<HashMap<String, u32>>>;

#[tokio::main]
async fn main() {
    // Keep the expected panic's message out of the output.
    std::panic::set_hook(Box::new(|_| {}));
    let sessions: Sessions = Arc::default();
    sessions.lock().unwrap().insert("alice".into(), 1);

    // ANCHOR: poison
    let store = Arc::clone(&sessions);
    let task = tokio::spawn(async move {
        let mut sessions = store.lock().unwrap();
        sessions.insert("mallory".into(), 1);
        panic!("a bug, halfway through an update");
    });
    assert!(task.await.unwrap_err().is_panic());
    assert!(sessions.is_poisoned());
    // ANCHOR_END: poison

    // ANCHOR: recover
    let recovered = match sessions.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    // The half-done update is there: the panic did not roll it back.
    assert!(recovered.contains_key("mallory"));
    drop(recovered);
    // Taking the guard out of the error did not clear the mark.
    assert!(sessions.lock().is_err());

    sessions.clear_poison();
    assert!(sessions.lock().is_ok());
    // ANCHOR_END: recover
}
