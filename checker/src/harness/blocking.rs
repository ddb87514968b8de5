//! Notices blocking work that runs on the async runtime's own thread.
//!
//! The harness runs every check on a single-threaded runtime, as a small server under load
//! effectively is: while one request blocks that thread, no other request moves. A slow
//! blocking operation in the exercises (a file written and synced, a password hashed) calls
//! [`expect_runtime_free`] first. That asks the runtime to run a tiny task and waits for it:
//! if the caller is inside `spawn_blocking`, the runtime's thread is free and answers at once;
//! if the caller *is* the runtime's thread, nobody can answer, and after [`PATIENCE`] the
//! operation is recorded as blocking the runtime. The answer depends on where the code runs,
//! not on how fast the machine is.

use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

/// How long a probe waits for the runtime to answer. A free runtime answers in microseconds.
pub const PATIENCE: Duration = Duration::from_secs(2);

static BLOCKED_THE_RUNTIME: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records `what` as blocking the runtime if the calling thread is the runtime's own.
/// Outside a tokio runtime it does nothing, and once one operation is recorded the others
/// are not probed, so a wrong attempt costs [`PATIENCE`] once, not once per request.
pub fn expect_runtime_free(what: &str) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if BLOCKED_THE_RUNTIME
        .lock()
        .is_ok_and(|list| !list.is_empty())
    {
        return;
    }
    let (answer, answered) = mpsc::channel();
    runtime.spawn(async move {
        let _ = answer.send(());
    });
    if answered.recv_timeout(PATIENCE).is_err()
        && let Ok(mut list) = BLOCKED_THE_RUNTIME.lock()
    {
        list.push(what.to_owned());
    }
}

/// Everything recorded by [`expect_runtime_free`] since the last call, oldest first.
pub fn take_blocked() -> Vec<String> {
    BLOCKED_THE_RUNTIME
        .lock()
        .map(|mut list| std::mem::take(&mut *list))
        .unwrap_or_default()
}
