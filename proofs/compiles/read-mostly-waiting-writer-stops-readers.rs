// Claim: std promises no order between readers and writers, but on Linux today a writer
// that is waiting for a `RwLock` makes new readers wait too, even though only readers hold
// the lock. So one reader that keeps its guard, plus one writer, is enough to stop every
// other reader.
//
// Book: "Read-mostly data: RwLock and arc-swap" (src/beyond/read-mostly.md).

use std::sync::{Arc, RwLock, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    let flags = Arc::new(RwLock::new(false));

    // ANCHOR: scenario
    // A reader that keeps its guard (as if it were held across a slow call)...
    let slow_reader = flags.read().unwrap();
    // ...and a reload that wants to write.
    let writer = thread::spawn({
        let flags = Arc::clone(&flags);
        move || *flags.write().unwrap() = true
    });
    // Now ask for a read lock, as the next request would.
    // ANCHOR_END: scenario

    // Until the writer is waiting, readers still get in; once it waits, they must not.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut refused = false;
    while Instant::now() < deadline {
        match flags.try_read() {
            Ok(guard) => drop(guard),
            Err(TryLockError::WouldBlock) => {
                refused = true;
                break;
            }
            Err(TryLockError::Poisoned(_)) => unreachable!("nobody panicked"),
        }
        thread::sleep(Duration::from_millis(1));
    }

    if cfg!(target_os = "linux") {
        assert!(
            refused,
            "with a writer waiting, a new reader should have been refused"
        );
    }
    drop(slow_reader);
    writer.join().unwrap();
    assert!(*flags.read().unwrap());
}
