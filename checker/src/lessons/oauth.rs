//! The OAuth login callback of the first lesson: a simulated identity provider, a file-backed
//! verifier store, and the behaviour check every version of the callback must pass.
//!
//! The flow being simulated: the app sent a user to the provider with a random `state` and
//! the challenge of a secret PKCE *verifier*, keeping the verifier under that `state`. The
//! provider now sends the user back to `/callback?code=…&state=…`. The app must find the
//! verifier for `state` (once: it is single-use) and exchange the code and verifier for an
//! access token — a network call to the provider, which is why the handler `.await`s.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use futures::future::join_all;

use crate::harness::blocking;
use crate::harness::clock::{timed, times};
use crate::harness::http;
use crate::harness::{self, Failure, ensure};

/// How long the provider takes to answer a token exchange.
pub const PROVIDER_LATENCY: Duration = Duration::from_millis(200);

/// How many users log in at once in the concurrency part of the check.
pub const CONCURRENT_LOGINS: usize = 8;

/// A client for the identity provider's token endpoint. The provider is simulated: it
/// answers after [`PROVIDER_LATENCY`] of (virtual) time and knows which verifier belongs to
/// which authorization code.
#[derive(Clone, Debug)]
pub struct TokenClient {
    provider: Arc<Provider>,
}

#[derive(Debug)]
struct Provider {
    latency: Duration,
    verifier_for_code: Mutex<HashMap<String, String>>,
    exchanges: AtomicUsize,
}

/// The provider refused the exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeError(String);

impl fmt::Display for ExchangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the provider refused the code: {}", self.0)
    }
}

impl std::error::Error for ExchangeError {}

impl TokenClient {
    fn new(latency: Duration) -> Self {
        TokenClient {
            provider: Arc::new(Provider {
                latency,
                verifier_for_code: Mutex::new(HashMap::new()),
                exchanges: AtomicUsize::new(0),
            }),
        }
    }

    /// Tells the simulated provider that `code` was issued for the challenge of `verifier`.
    fn issue(&self, code: &str, verifier: &str) {
        if let Ok(mut codes) = self.provider.verifier_for_code.lock() {
            codes.insert(code.to_owned(), verifier.to_owned());
        }
    }

    /// Exchanges an authorization code and its PKCE verifier for an access token.
    pub async fn exchange(&self, code: &str, verifier: &str) -> Result<String, ExchangeError> {
        self.provider.exchanges.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.provider.latency).await;
        let expected = self
            .provider
            .verifier_for_code
            .lock()
            .map_err(|_| ExchangeError("the provider is down".into()))?
            .remove(code);
        match expected {
            Some(expected) if expected == verifier => Ok(access_token(code)),
            Some(_) => Err(ExchangeError("invalid_grant: wrong code verifier".into())),
            None => Err(ExchangeError("invalid_grant: unknown or used code".into())),
        }
    }

    fn exchanges(&self) -> usize {
        self.provider.exchanges.load(Ordering::SeqCst)
    }
}

/// PKCE verifiers kept in a file, so that a login survives a restart of the app.
/// Every call does real, blocking file I/O: keep it off the async runtime's threads.
#[derive(Debug)]
pub struct VerifierFile {
    path: PathBuf,
}

impl VerifierFile {
    /// Writes `verifiers` (by `state`) to a new file in the system's temporary folder.
    pub fn create(verifiers: &HashMap<String, String>) -> io::Result<Self> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "verifiers-{}-{}.json",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let file = VerifierFile {
            path: std::env::temp_dir().join(name),
        };
        file.write(verifiers)?;
        Ok(file)
    }

    /// Removes the verifier kept for `state` and returns it. Blocking: it reads the file,
    /// rewrites it and waits for the disk to confirm the write.
    pub fn take(&mut self, state: &str) -> io::Result<Option<String>> {
        blocking::expect_runtime_free("VerifierFile::take");
        let mut verifiers: HashMap<String, String> =
            serde_json::from_slice(&fs::read(&self.path)?).map_err(io::Error::other)?;
        let verifier = verifiers.remove(state);
        if verifier.is_some() {
            self.write(&verifiers)?;
        }
        Ok(verifier)
    }

    fn write(&self, verifiers: &HashMap<String, String>) -> io::Result<()> {
        let text = serde_json::to_vec(verifiers).map_err(io::Error::other)?;
        write_synced(&self.path, &text)
    }
}

impl Drop for VerifierFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn access_token(code: &str) -> String {
    format!("access-token-for-{code}")
}

fn state(i: usize) -> String {
    format!("state-{i}")
}

fn code(i: usize) -> String {
    format!("code-{i}")
}

fn verifier(i: usize) -> String {
    format!("verifier-{i}-kept-secret")
}

fn callback_uri(code: &str, state: &str) -> String {
    format!("/callback?code={code}&state={state}")
}

/// Checks a callback app and ends the process with the verdict.
///
/// `app` receives the provider's client and the verifiers the app has handed out (by
/// `state`), and returns the router to check. It must route `GET /callback`.
pub fn check(app: impl FnOnce(TokenClient, HashMap<String, String>) -> Router) -> ! {
    harness::run("OAuth callback", async move {
        let provider = TokenClient::new(PROVIDER_LATENCY);
        let mut verifiers = HashMap::new();
        for i in 0..=CONCURRENT_LOGINS {
            provider.issue(&code(i), &verifier(i));
            verifiers.insert(state(i), verifier(i));
        }
        let app = app(provider.clone(), verifiers);

        a_login_gets_its_token(&app).await?;
        a_replayed_state_is_refused(&app, &provider).await?;
        an_unknown_state_is_refused(&app, &provider).await?;
        logins_do_not_wait_for_each_other(&app).await?;
        nothing_blocked_the_runtime()
    })
}

async fn a_login_gets_its_token(app: &Router) -> Result<(), Failure> {
    let reply = http::get(app, &callback_uri(&code(0), &state(0))).await?;
    ensure(reply.status == StatusCode::OK, || {
        format!(
            "a valid callback got {} ({:?}) instead of 200 OK",
            reply.status, reply.body
        )
    })?;
    ensure(reply.body.contains(&access_token(&code(0))), || {
        format!(
            "a valid callback should answer with the access token, but answered {:?}",
            reply.body
        )
    })
}

async fn a_replayed_state_is_refused(app: &Router, provider: &TokenClient) -> Result<(), Failure> {
    let before = provider.exchanges();
    let reply = http::get(app, &callback_uri(&code(0), &state(0))).await?;
    ensure(reply.status == StatusCode::BAD_REQUEST, || {
        format!(
            "a second callback with the same state got {} instead of 400 Bad Request: \
             a PKCE verifier must be used once, then forgotten",
            reply.status
        )
    })?;
    ensure(provider.exchanges() == before, || {
        "a replayed state still reached the provider; refuse it before the exchange".into()
    })
}

async fn an_unknown_state_is_refused(app: &Router, provider: &TokenClient) -> Result<(), Failure> {
    let before = provider.exchanges();
    let reply = http::get(app, &callback_uri(&code(1), "forged-state")).await?;
    ensure(reply.status == StatusCode::BAD_REQUEST, || {
        format!(
            "a callback with an unknown state got {} instead of 400 Bad Request \
             (the state comes from the client: never unwrap a lookup of it)",
            reply.status
        )
    })?;
    ensure(provider.exchanges() == before, || {
        "a forged state still reached the provider; refuse it before the exchange".into()
    })
}

async fn logins_do_not_wait_for_each_other(app: &Router) -> Result<(), Failure> {
    let logins = (1..=CONCURRENT_LOGINS).map(|i| {
        let uri = callback_uri(&code(i), &state(i));
        async move { http::get(app, &uri).await }
    });
    let (replies, elapsed) = timed(join_all(logins)).await;
    for reply in replies {
        let reply = reply?;
        ensure(reply.status == StatusCode::OK, || {
            format!("a concurrent login got {} ({:?})", reply.status, reply.body)
        })?;
    }
    ensure(elapsed < PROVIDER_LATENCY * 2, || {
        format!(
            "{CONCURRENT_LOGINS} logins at once took {:.1}× the provider's latency \
             instead of about 1×: each one waited for the one before it \
             (is a lock held across the token exchange?)",
            times(elapsed, PROVIDER_LATENCY)
        )
    })
}

fn nothing_blocked_the_runtime() -> Result<(), Failure> {
    let blocked = blocking::take_blocked();
    ensure(blocked.is_empty(), || {
        format!(
            "{} ran on the async runtime's own thread and blocked every other request \
             while it waited for the disk: run blocking work in tokio::task::spawn_blocking",
            blocked.join(", ")
        )
    })
}
