//! The session store and the profile service (exercises 07, 20 and 26).
//!
//! A web app keeps its logged-in users' sessions in memory, by session id. A request
//! carries its id in an `x-session-id` header; the handler finds the session, marks it as
//! used (a session expires after [`IDLE_TIMEOUT`] without use), and asks the slow
//! [`Profiles`] service for the user's profile.
//!
//! Requests are served the way a server does: each in a task of its own, so a handler
//! that panics fails its own request and nothing else, unless it leaves something broken
//! behind. (Plain axum closes that request's connection without an answer; with
//! tower-http's `CatchPanicLayer` the client gets a 500. The check reports it as a 500.)

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Request, StatusCode};
use futures::future::join_all;
use tokio::time::Instant;

use crate::harness::clock::{timed, times};
use crate::harness::http::{self, Reply};
use crate::harness::{self, Failure, ensure};

/// How long a session may go unused before it expires. (Short, so that the check, which
/// runs under a virtual-time limit, can wait for a session to expire.)
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the profile service takes to answer.
pub const PROFILE_LATENCY: Duration = Duration::from_millis(100);

/// How many times a profile fetch is tried before giving up (exercise 20).
pub const RETRY_ATTEMPTS: u32 = 3;

/// The pause before the second try; each later pause is this much longer again.
pub const RETRY_BACKOFF: Duration = Duration::from_millis(100);

/// One logged-in user's session.
#[derive(Debug, Clone)]
pub struct Session {
    user: String,
    idle_timeout: Duration,
    expires_at: Instant,
}

impl Session {
    fn new(user: &str, idle_timeout: Duration) -> Self {
        Session {
            user: user.to_owned(),
            idle_timeout,
            expires_at: Instant::now() + IDLE_TIMEOUT.min(idle_timeout),
        }
    }

    /// The user this session belongs to.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Marks the session as used at `now`, which keeps it alive for its idle timeout
    /// from now on. Returns `false`, and changes nothing, if it had already expired.
    ///
    /// # Panics
    ///
    /// If the session's idle timeout reaches past the end of the clock. (Sessions imported
    /// from the old login system have no timeout, stored as the longest duration there is:
    /// a known bug of this session library.)
    pub fn touch(&mut self, now: Instant) -> bool {
        if now >= self.expires_at {
            return false;
        }
        self.expires_at = now + self.idle_timeout;
        true
    }
}

/// Every session, by session id.
pub type Sessions = HashMap<String, Session>;

/// The session id a request carries in its `x-session-id` header. A request without one is
/// refused with `401 Unauthorized` before the handler runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for SessionId {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get("x-session-id")
            .and_then(|value| value.to_str().ok())
            .map(|id| SessionId(id.to_owned()))
            .ok_or((StatusCode::UNAUTHORIZED, "log in first"))
    }
}

/// The profile service could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileError {
    /// It is briefly overloaded: trying again a little later may work.
    Unavailable,
    /// It has no such user.
    NotFound(String),
}

impl ProfileError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, ProfileError::Unavailable)
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileError::Unavailable => f.write_str("503 from the profile service"),
            ProfileError::NotFound(user) => write!(f, "the profile service has no user {user:?}"),
        }
    }
}

impl std::error::Error for ProfileError {}

/// A client for the profile service. Simulated: it answers after [`PROFILE_LATENCY`].
/// Some users' profiles are troublesome on purpose: `ada`'s first fetch finds the service
/// overloaded, `linus`'s always does, `grace`'s profile is malformed JSON, and `ghost`
/// does not exist.
#[derive(Clone, Debug, Default)]
pub struct Profiles {
    fetches: Arc<Mutex<HashMap<String, usize>>>,
    total: Arc<AtomicUsize>,
}

impl Profiles {
    /// The user's profile, as the JSON the service sends: `{"display_name": "…"}`.
    pub async fn fetch(&self, user: &str) -> Result<String, ProfileError> {
        let attempt = self.count(user);
        tokio::time::sleep(PROFILE_LATENCY).await;
        match user {
            "ada" if attempt == 1 => Err(ProfileError::Unavailable),
            "linus" => Err(ProfileError::Unavailable),
            "ghost" => Err(ProfileError::NotFound(user.to_owned())),
            "grace" => Ok(r#"{"display_name": 1906}"#.to_owned()),
            _ => Ok(format!(r#"{{"display_name": "{}"}}"#, display_name(user))),
        }
    }

    /// The name the user chose to be shown under.
    pub async fn display_name(&self, user: &str) -> Result<String, ProfileError> {
        self.count(user);
        tokio::time::sleep(PROFILE_LATENCY).await;
        Ok(display_name(user))
    }

    fn count(&self, user: &str) -> usize {
        self.total.fetch_add(1, Ordering::SeqCst);
        let Ok(mut fetches) = self.fetches.lock() else {
            return 0;
        };
        let count = fetches.entry(user.to_owned()).or_default();
        *count += 1;
        *count
    }

    fn fetches_of(&self, user: &str) -> usize {
        self.fetches
            .lock()
            .map(|f| f.get(user).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }
}

fn display_name(user: &str) -> String {
    let mut name = user.to_owned();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    format!("{name} (@{user})")
}

/// Serves one request in a task of its own, as a server does: if the handler panics, that
/// request fails (reported as `500 Internal Server Error`, as a panic-catching layer
/// would answer) and the server goes on.
pub async fn serve(app: &Router, request: Request<Body>) -> Result<Reply, Failure> {
    let app = app.clone();
    match tokio::spawn(async move { http::send(&app, request).await }).await {
        Ok(reply) => reply,
        Err(err) if err.is_panic() => Ok(Reply {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: "the handler panicked".into(),
        }),
        Err(err) => Err(Failure::new(format!("the request's task failed: {err}"))),
    }
}

async fn me(app: &Router, session: &str) -> Result<Reply, Failure> {
    let request = Request::get("/me")
        .header("x-session-id", session)
        .body(Body::empty())
        .map_err(|err| Failure::new(format!("could not build a request: {err}")))?;
    serve(app, request).await
}

fn initial_sessions() -> Sessions {
    let mut sessions = Sessions::new();
    sessions.insert("s-alice".into(), Session::new("alice", IDLE_TIMEOUT));
    sessions.insert("s-bob".into(), Session::new("bob", IDLE_TIMEOUT));
    sessions.insert("s-mallory".into(), Session::new("mallory", Duration::MAX));
    sessions
}

/// How many requests ask for a profile at once in the concurrency part of the checks.
pub const CONCURRENT_USERS: usize = 10;

/// Checks a session-backed app and ends the process with the verdict.
///
/// `app` receives every session (by id) and the profile service, and returns the router.
/// It must route `GET /me`, which answers the display name of the session's user, or
/// `401 Unauthorized` for a session that does not exist or has expired.
pub fn check(app: impl FnOnce(Sessions, Profiles) -> Router) -> ! {
    harness::run("session store", async move {
        let profiles = Profiles::default();
        let app = app(initial_sessions(), profiles.clone());
        a_session_finds_its_user(&app).await?;
        an_unknown_session_is_refused(&app, &profiles).await?;
        sessions_expire_unless_used(&app).await?;
        users_do_not_wait_for_each_other(&app).await
    })
}

/// Like [`check`], but first a request panics while the session store is locked (the
/// session library's bug, see [`Session::touch`]); the requests after it must still work.
pub fn check_after_panic(app: impl FnOnce(Sessions, Profiles) -> Router) -> ! {
    harness::run("session store after a panic", async move {
        let profiles = Profiles::default();
        let app = app(initial_sessions(), profiles.clone());
        a_session_finds_its_user(&app).await?;
        let reply = me(&app, "s-mallory").await?;
        ensure(reply.status != StatusCode::OK, || {
            "mallory's session should make `Session::touch` panic, yet the request succeeded \
             (is every session still touched?)"
                .into()
        })?;
        let reply = me(&app, "s-alice").await?;
        ensure(reply.status == StatusCode::OK, || {
            format!(
                "after mallory's request panicked while holding the session lock, alice's next \
                 request failed too ({}): the mutex is poisoned, and a `lock().unwrap()` panics \
                 in every request from now on. Decide what a poisoned lock means here and \
                 handle the `PoisonError`",
                reply.status
            )
        })?;
        an_unknown_session_is_refused(&app, &profiles).await?;
        sessions_expire_unless_used(&app).await?;
        users_do_not_wait_for_each_other(&app).await
    })
}

async fn a_session_finds_its_user(app: &Router) -> Result<(), Failure> {
    let reply = me(app, "s-alice").await?;
    ensure(
        reply.status == StatusCode::OK && reply.body == display_name("alice"),
        || {
            format!(
                "GET /me with alice's session should answer {:?}, but got {} {:?}",
                display_name("alice"),
                reply.status,
                reply.body
            )
        },
    )
}

async fn an_unknown_session_is_refused(app: &Router, profiles: &Profiles) -> Result<(), Failure> {
    let before = profiles.total();
    let reply = me(app, "s-forged").await?;
    ensure(reply.status == StatusCode::UNAUTHORIZED, || {
        format!(
            "GET /me with a session id that does not exist got {} instead of 401 Unauthorized \
             (the id comes from the client: never unwrap a lookup of it)",
            reply.status
        )
    })?;
    ensure(profiles.total() == before, || {
        "a request with an unknown session still reached the profile service".into()
    })
}

async fn sessions_expire_unless_used(app: &Router) -> Result<(), Failure> {
    // Alice keeps using her session; bob does not touch his.
    for _ in 0..3 {
        tokio::time::sleep(IDLE_TIMEOUT / 2).await;
        let reply = me(app, "s-alice").await?;
        ensure(reply.status == StatusCode::OK, || {
            format!(
                "a session used every {} s should stay alive, but got {}: is the session \
                 touched on every request?",
                (IDLE_TIMEOUT / 2).as_secs(),
                reply.status
            )
        })?;
    }
    let reply = me(app, "s-bob").await?;
    ensure(reply.status == StatusCode::UNAUTHORIZED, || {
        format!(
            "a session unused for more than {} s should be refused with 401, but got {}: \
             `Session::touch` returns false for an expired session",
            IDLE_TIMEOUT.as_secs(),
            reply.status
        )
    })
}

async fn users_do_not_wait_for_each_other(app: &Router) -> Result<(), Failure> {
    // Alice has the session that is still alive; she has a few tabs open.
    let requests = (0..CONCURRENT_USERS).map(|_| me(app, "s-alice"));
    let (replies, elapsed) = timed(join_all(requests)).await;
    for reply in replies {
        let reply = reply?;
        ensure(reply.status == StatusCode::OK, || {
            format!("one of several requests at once got {}", reply.status)
        })?;
    }
    ensure(elapsed < PROFILE_LATENCY * 2, || {
        format!(
            "{CONCURRENT_USERS} requests at once took {:.1}× the profile service's latency \
             instead of about 1×: each waited for the one before it (is the session lock held \
             while the profile is fetched?)",
            times(elapsed, PROFILE_LATENCY)
        )
    })
}

async fn profile(app: &Router, user: &str) -> Result<(Reply, Duration), Failure> {
    let request = Request::get(format!("/profiles/{user}"))
        .body(Body::empty())
        .map_err(|err| Failure::new(format!("could not build a request: {err}")))?;
    let (reply, elapsed) = timed(serve(app, request)).await;
    Ok((reply?, elapsed))
}

/// Checks a profile endpoint that retries a flaky service, and ends the process with the
/// verdict.
///
/// `app` receives the profile service and returns the router. It must route
/// `GET /profiles/{user}`, which answers the user's display name, trying the service up to
/// [`RETRY_ATTEMPTS`] times while it is [unavailable](ProfileError::is_transient), pausing
/// [`RETRY_BACKOFF`] before the second try and twice that before the third; and answers
/// `502 Bad Gateway` when it cannot.
pub fn check_retries(app: impl FnOnce(Profiles) -> Router) -> ! {
    harness::run("profile retries", async move {
        let profiles = Profiles::default();
        let app = app(profiles.clone());

        let (reply, elapsed) = profile(&app, "ada").await?;
        ensure(
            reply.status == StatusCode::OK && reply.body == display_name("ada"),
            || {
                format!(
                    "ada's profile should be found on the second try and answer {:?}, but got \
                     {} {:?}",
                    display_name("ada"),
                    reply.status,
                    reply.body
                )
            },
        )?;
        ensure(elapsed == PROFILE_LATENCY * 2 + RETRY_BACKOFF, || {
            format!(
                "ada's profile took {} ms: two tries of {} ms with a pause of {} ms between \
                 them should take {} ms",
                elapsed.as_millis(),
                PROFILE_LATENCY.as_millis(),
                RETRY_BACKOFF.as_millis(),
                (PROFILE_LATENCY * 2 + RETRY_BACKOFF).as_millis()
            )
        })?;

        let (reply, _) = profile(&app, "linus").await?;
        ensure(reply.status == StatusCode::BAD_GATEWAY, || {
            format!(
                "a profile the service never delivers should end in 502 Bad Gateway, but got {}",
                reply.status
            )
        })?;
        ensure(
            profiles.fetches_of("linus") == RETRY_ATTEMPTS as usize,
            || {
                format!(
                    "a profile the service never delivers was tried {} times instead of {RETRY_ATTEMPTS}",
                    profiles.fetches_of("linus")
                )
            },
        )?;

        for (user, what) in [
            ("ghost", "a user who does not exist"),
            ("grace", "a malformed profile"),
        ] {
            let (reply, _) = profile(&app, user).await?;
            ensure(reply.status == StatusCode::BAD_GATEWAY, || {
                format!(
                    "{what} should end in 502 Bad Gateway, but got {} {:?}",
                    reply.status, reply.body
                )
            })?;
            ensure(profiles.fetches_of(user) == 1, || {
                format!(
                    "{what} was fetched {} times: only an unavailable service is worth another try",
                    profiles.fetches_of(user)
                )
            })?;
        }

        let app = &app;
        let requests =
            (0..CONCURRENT_USERS).map(|i| async move { profile(app, &format!("user{i}")).await });
        let (replies, elapsed) = timed(join_all(requests)).await;
        for reply in replies {
            let (reply, _) = reply?;
            ensure(reply.status == StatusCode::OK, || {
                format!(
                    "one of several profiles at once got {} {:?}",
                    reply.status, reply.body
                )
            })?;
        }
        ensure(elapsed < PROFILE_LATENCY * 2, || {
            format!(
                "{CONCURRENT_USERS} profiles at once took {:.1}× the service's latency instead \
                 of about 1×",
                times(elapsed, PROFILE_LATENCY)
            )
        })
    })
}
