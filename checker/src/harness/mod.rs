//! Runs a behaviour check the same way for every exercise and solution.
//!
//! A check is an `async` block that returns `Result<(), Failure>`. [`run`] drives it on a
//! single-threaded tokio runtime whose clock starts paused, so a simulated downstream that
//! "takes 200 ms" takes no real time and every timing is exact. Two guards turn a stuck
//! program into a verdict instead of a hang:
//!
//! * a **virtual-time limit**: if every task is waiting and nothing can wake them (an async
//!   deadlock), the paused clock jumps straight to the limit and the check fails;
//! * a **watchdog thread** on the real clock: if the runtime's only thread is blocked (a
//!   `std::sync::Mutex` locked twice, an endless loop), virtual time cannot move at all,
//!   so the watchdog reports it and ends the process.
//!
//! The verdict is printed on one line that starts with [`VERDICT_PREFIX`], and the process
//! exit code says which kind it is (see [`Verdict::exit_code`]); the learner's CLI reads both.
//!
//! This room uses nothing else of the checker's; lessons, the material tests and the
//! learner's CLI all build on it.

pub mod blocking;
pub mod clock;
pub mod http;
pub mod run;

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long a check may take in real time before the watchdog reports the runtime's thread
/// as blocked. Every check needs milliseconds of real time (its waits are on the paused
/// clock), so a busy machine stays far below this; only a stuck thread reaches it.
pub const WATCHDOG_LIMIT: Duration = Duration::from_secs(5);

/// Overrides [`WATCHDOG_LIMIT`] (in seconds), for tests of the checker itself.
pub const WATCHDOG_ENV: &str = "CHECKER_WATCHDOG_SECS";

/// The watchdog's limit in force.
pub fn watchdog_limit() -> Duration {
    std::env::var(WATCHDOG_ENV)
        .ok()
        .and_then(|secs| secs.parse().ok())
        .map_or(WATCHDOG_LIMIT, Duration::from_secs)
}

/// How much virtual time a check may use before it counts as stuck. The simulated services
/// answer within a second of virtual time, so a minute means nothing will ever wake up.
pub const VIRTUAL_TIME_LIMIT: Duration = Duration::from_secs(60);

/// The start of the line that carries the verdict.
pub const VERDICT_PREFIX: &str = "verdict:";

/// Why a behaviour check did not pass, in words a learner can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl Failure {
    pub fn new(reason: impl Into<String>) -> Self {
        Failure(reason.into())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

/// Fails the check with `reason` unless `condition` holds.
pub fn ensure(condition: bool, reason: impl FnOnce() -> String) -> Result<(), Failure> {
    if condition {
        Ok(())
    } else {
        Err(Failure(reason()))
    }
}

/// The outcome of a check, as the learner's CLI and the material tests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// The code ran to the end but did the wrong thing.
    Wrong(String),
    /// The code panicked; the message is the panic's.
    Panicked(String),
    /// Every task waited for something that never came.
    AsyncDeadlock,
    /// The runtime's thread stopped making progress in real time.
    Blocked,
    /// The process did not end within the runner's limit (see [`crate::harness::run`]).
    TimedOut(Duration),
    /// The process ended some other way: a signal, an unexpected exit code.
    Crashed(String),
}

impl Verdict {
    /// The exit code of a process that ends with this verdict.
    pub fn exit_code(&self) -> i32 {
        match self {
            Verdict::Passed => 0,
            Verdict::Wrong(_) => 1,
            Verdict::Panicked(_) => 2,
            Verdict::AsyncDeadlock => 3,
            Verdict::Blocked => 4,
            Verdict::TimedOut(_) => 5,
            Verdict::Crashed(_) => 6,
        }
    }

    /// The one-line explanation printed after [`VERDICT_PREFIX`].
    pub fn describe(&self) -> String {
        match self {
            Verdict::Passed => "passed".to_owned(),
            Verdict::Wrong(reason) => format!("wrong: {reason}"),
            Verdict::Panicked(message) => format!("panicked: {message}"),
            Verdict::AsyncDeadlock => format!(
                "async deadlock: every task was waiting and nothing could wake them \
                 ({} s of virtual time passed)",
                VIRTUAL_TIME_LIMIT.as_secs()
            ),
            Verdict::Blocked => format!(
                "blocked: the runtime's thread made no progress for {} s of real time \
                 (a std lock taken twice, or a loop that never yields?)",
                watchdog_limit().as_secs()
            ),
            Verdict::TimedOut(limit) => format!(
                "timed out: the program did not finish within {} s",
                limit.as_secs()
            ),
            Verdict::Crashed(how) => format!("crashed: {how}"),
        }
    }
}

/// Runs `check` to a verdict, prints it, and ends the process with the verdict's exit code.
pub fn run<F>(name: &str, check: F) -> !
where
    F: Future<Output = Result<(), Failure>>,
{
    let verdict = verdict_of(check);
    report(name, &verdict);
    std::process::exit(verdict.exit_code());
}

/// Runs `check` and returns its verdict, without ending the process (unless the runtime's
/// thread is blocked, which no code can recover from: then the watchdog ends the process).
pub fn verdict_of<F>(check: F) -> Verdict
where
    F: Future<Output = Result<(), Failure>>,
{
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return Verdict::Wrong(format!("could not start a tokio runtime: {err}")),
    };

    let done = start_watchdog();
    let last_panic = capture_panic_messages();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(async { tokio::time::timeout(VIRTUAL_TIME_LIMIT, check).await })
    }));
    // The check is over, whatever its outcome: stop the watchdog before the runtime's
    // tasks are dropped, since dropping them cannot block.
    let _ = done.send(());
    drop(runtime);

    match outcome {
        Ok(Ok(Ok(()))) => Verdict::Passed,
        Ok(Ok(Err(failure))) => Verdict::Wrong(failure.0),
        Ok(Err(_elapsed)) => Verdict::AsyncDeadlock,
        Err(payload) => {
            let message = last_panic
                .lock()
                .ok()
                .and_then(|slot| slot.clone())
                .unwrap_or_else(|| panic_payload_text(&*payload));
            Verdict::Panicked(message)
        }
    }
}

fn report(name: &str, verdict: &Verdict) {
    if *verdict == Verdict::Passed {
        println!("{VERDICT_PREFIX} passed ({name})");
    } else {
        eprintln!("{VERDICT_PREFIX} {}", verdict.describe());
    }
}

/// Starts a thread that ends the process if nothing is sent on the returned channel in time.
fn start_watchdog() -> mpsc::Sender<()> {
    let (done, finished) = mpsc::channel::<()>();
    thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(watchdog_limit()) {
            let verdict = Verdict::Blocked;
            eprintln!("{VERDICT_PREFIX} {}", verdict.describe());
            std::process::exit(verdict.exit_code());
        }
    });
    done
}

/// Keeps the text and place of the latest panic, whichever thread or task it happened on.
/// The verdict line shows it, so the default hook's printout would only repeat it.
fn capture_panic_messages() -> Arc<Mutex<Option<String>>> {
    let slot = Arc::new(Mutex::new(None));
    let writer = Arc::clone(&slot);
    panic::set_hook(Box::new(move |info| {
        let place = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let text = format!("{}{place}", panic_payload_text(info.payload()));
        if let Ok(mut latest) = writer.lock() {
            *latest = Some(text);
        }
    }));
    slot
}

fn panic_payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passing_check_passes() {
        assert_eq!(verdict_of(async { Ok(()) }), Verdict::Passed);
    }

    #[test]
    fn a_failure_keeps_its_reason() {
        let verdict = verdict_of(async { Err(Failure::new("two answers differ")) });
        assert_eq!(verdict, Verdict::Wrong("two answers differ".into()));
    }

    #[test]
    fn a_panic_becomes_a_verdict_with_its_message() {
        let verdict = verdict_of(async {
            let verifiers: std::collections::HashMap<&str, &str> = Default::default();
            verifiers.get("forged").expect("no verifier for this state");
            Ok(())
        });
        match verdict {
            Verdict::Panicked(message) => assert!(message.contains("no verifier"), "{message}"),
            other => panic!("expected a panic verdict, got {other:?}"),
        }
    }

    #[test]
    fn an_async_deadlock_ends_in_virtual_time() {
        let started = std::time::Instant::now();
        let verdict = verdict_of(async {
            let lock = tokio::sync::Mutex::new(());
            let _held = lock.lock().await;
            let _never = lock.lock().await;
            Ok(())
        });
        assert_eq!(verdict, Verdict::AsyncDeadlock);
        assert!(
            started.elapsed() < WATCHDOG_LIMIT,
            "the paused clock should jump"
        );
    }
}
