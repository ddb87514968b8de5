//! Registration with password hashing (exercise 25).
//!
//! A password is stored only as a slow, salted hash: [`hash_password`] is deliberately
//! expensive CPU work. Run on the async runtime's own thread it stalls every other request
//! meanwhile; run under a lock that other requests need, it stalls those.
//!
//! How the check sees that, whatever the machine's speed: while one registration is being
//! hashed, it asks for another user's page, and [`hash_password`] does not finish until
//! that page has been served (or until [`PATIENCE`] has passed in real time, which it only
//! does when the page *cannot* be served until the hash is done). It also notes whether it
//! ran on the runtime's thread.

use std::fmt;
use std::sync::{Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::harness::http::{self, Reply};
use crate::harness::{self, Failure, ensure};

/// How long a hash waits, in real time, for the request it lets go first. A free runtime
/// serves it in microseconds.
pub const PATIENCE: Duration = Duration::from_secs(2);

/// A salted password hash, in the usual `$scheme$parameters$hash` text form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl fmt::Display for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the check asks of the hashes that run while it watches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Mode {
    /// Finish at once.
    #[default]
    Free,
    /// Wait until a second hash has started too (or the check says stop): two
    /// registrations racing for one name are then both past their first look at the table.
    Pair,
    /// Wait until the check has served another request meanwhile.
    Hold,
}

#[derive(Default)]
struct Watch {
    runtime_thread: Option<ThreadId>,
    ran_on_runtime: bool,
    mode: Mode,
    started: usize,
    stalled: bool,
}

static WATCH: Mutex<Option<Watch>> = Mutex::new(None);
static CHANGED: Condvar = Condvar::new();

fn with_watch<T>(f: impl FnOnce(&mut Watch) -> T) -> Option<T> {
    let mut watch = WATCH.lock().unwrap_or_else(|p| p.into_inner());
    let result = watch.as_mut().map(f);
    CHANGED.notify_all();
    result
}

fn set_mode(mode: Mode) {
    with_watch(|w| {
        w.mode = mode;
        w.started = 0;
    });
}

/// Hashes `password` with a fresh salt. Expensive on purpose: a few milliseconds of pure
/// CPU here, far more with a real algorithm. It blocks the thread it runs on.
pub fn hash_password(password: &str) -> PasswordHash {
    let here = thread::current().id();
    let on_runtime = with_watch(|w| {
        let on_runtime = w.runtime_thread == Some(here);
        w.ran_on_runtime |= on_runtime;
        w.started += 1;
        on_runtime
    });
    let hash = compute(password);
    // On the runtime's thread nothing else can run while this waits: no point waiting.
    if on_runtime == Some(false) {
        wait_as_the_check_asks();
    }
    hash
}

fn wait_as_the_check_asks() {
    let watch = WATCH.lock().unwrap_or_else(|p| p.into_inner());
    let waiting = |w: &mut Option<Watch>| match w {
        Some(w) if w.mode == Mode::Pair => w.started < 2,
        Some(w) => w.mode == Mode::Hold,
        None => false,
    };
    let mode = watch.as_ref().map(|w| w.mode).unwrap_or_default();
    // A second hash that can start starts within microseconds; one that cannot (its
    // request waits for a lock this one's request holds) never will, so waiting long for
    // it would only slow the check down.
    let patience = if mode == Mode::Pair {
        PATIENCE / 10
    } else {
        PATIENCE
    };
    let (mut watch, timeout) = CHANGED
        .wait_timeout_while(watch, patience, waiting)
        .unwrap_or_else(|p| p.into_inner());
    if timeout.timed_out()
        && mode == Mode::Hold
        && let Some(w) = watch.as_mut()
    {
        w.stalled = true;
        w.mode = Mode::Free;
    }
}

/// The hash itself: many rounds of a simple mix, so that it costs real CPU time.
fn compute(password: &str) -> PasswordHash {
    let salt = "s4lt";
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..20_000 {
        for byte in salt.bytes().chain(password.bytes()) {
            state ^= u64::from(byte);
            state = state.wrapping_mul(0x0100_0000_01b3);
        }
    }
    PasswordHash(format!("$sim$rounds=20000${salt}${state:016x}"))
}

async fn register(app: &Router, name: &str, password: &str) -> Result<Reply, Failure> {
    let body = format!(r#"{{"name": "{name}", "password": "{password}"}}"#);
    let request = Request::post("/register")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .map_err(|err| Failure::new(format!("could not build a request: {err}")))?;
    http::send(app, request).await
}

/// Checks a registration service and ends the process with the verdict.
///
/// `app` returns the router. It must route `POST /register` (a JSON body with `name` and
/// `password`), which stores the name with [`hash_password`] of the password and answers
/// `201 Created`, or `409 Conflict` if the name is taken; and `GET /users/{name}`, which
/// answers the stored hash (or 404).
pub fn check(app: impl FnOnce() -> Router) -> ! {
    harness::run("registration", async move {
        *WATCH.lock().unwrap_or_else(|p| p.into_inner()) = Some(Watch {
            runtime_thread: Some(thread::current().id()),
            ..Watch::default()
        });
        let app = app();
        let app = &app;

        let reply = register(app, "alice", "correct horse").await?;
        ensure(reply.status == StatusCode::CREATED, || {
            format!(
                "registering alice got {} {:?} instead of 201 Created",
                reply.status, reply.body
            )
        })?;
        let reply = http::get(app, "/users/alice").await?;
        let expected = compute("correct horse").to_string();
        ensure(
            reply.status == StatusCode::OK && reply.body == expected,
            || {
                format!(
                    "GET /users/alice should answer the hash of her password, {expected:?}, but got \
                 {} {:?}",
                    reply.status, reply.body
                )
            },
        )?;
        let reply = register(app, "alice", "battery staple").await?;
        ensure(reply.status == StatusCode::CONFLICT, || {
            format!(
                "registering a taken name got {} instead of 409 Conflict",
                reply.status
            )
        })?;

        // Two people try the same name at once: one gets it. Their hashes wait for each
        // other, so that both requests are past any first look at the table.
        set_mode(Mode::Pair);
        let attempt = |password| async move {
            let reply = register(app, "dave", password).await;
            set_mode(Mode::Free);
            reply
        };
        let (first, second) = tokio::join!(attempt("one"), attempt("two"));
        let mut statuses = [first?.status, second?.status];
        statuses.sort();
        ensure(
            statuses == [StatusCode::CREATED, StatusCode::CONFLICT],
            || {
                format!(
                    "two registrations of the same name at once got {} and {}: exactly one should \
                 get the name (201) and the other 409",
                    statuses[0], statuses[1]
                )
            },
        )?;

        // While carol's password is being hashed, alice's page must be served.
        set_mode(Mode::Hold);
        let page = async {
            let reply = http::get(app, "/users/alice").await;
            set_mode(Mode::Free);
            reply
        };
        let (carol, page) = tokio::join!(register(app, "carol", "hunter2"), page);
        ensure(carol?.status == StatusCode::CREATED, || {
            "registering carol failed".into()
        })?;
        ensure(page?.status == StatusCode::OK, || {
            "GET /users/alice failed".into()
        })?;

        let (ran_on_runtime, stalled) =
            with_watch(|w| (w.ran_on_runtime, w.stalled)).unwrap_or_default();
        ensure(!ran_on_runtime, || {
            "hash_password ran on the async runtime's thread: while it works, no other request \
             can be served on that thread. Run it with tokio::task::spawn_blocking"
                .into()
        })?;
        ensure(!stalled, || {
            "alice's page could not be served until carol's password was hashed: is a lock that \
             other requests need held while the password is hashed?"
                .into()
        })
    })
}
