//! The welcome mail (exercise 09).
//!
//! When a user signs up, the app sends a welcome mail over its one connection to the mail
//! relay. The relay allows a single connection per app, and a connection carries one mail
//! at a time: a mail is a short conversation (sender, recipient, message), each step a
//! round trip of [`SMTP_ROUND_TRIP`].

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures::future::join_all;

use crate::harness::clock::timed;
use crate::harness::http::{self, Reply};
use crate::harness::{self, Failure, ensure};

/// How long one step of the mail conversation takes.
pub const SMTP_ROUND_TRIP: Duration = Duration::from_millis(20);

/// The steps of sending one mail.
const STEPS: u32 = 3;

/// The relay refused a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpError(String);

impl fmt::Display for SmtpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the mail relay refused the mail: {}", self.0)
    }
}

impl std::error::Error for SmtpError {}

/// The app's one connection to the mail relay. It is `Send`, but not `Clone`, and sending
/// takes `&mut self`: one mail at a time.
#[derive(Debug)]
pub struct SmtpConnection {
    delivered: Arc<Mutex<Vec<String>>>,
}

impl SmtpConnection {
    /// Sends a mail with `subject` to `to`, step by step.
    pub async fn send(&mut self, to: &str, subject: &str) -> Result<(), SmtpError> {
        if !to.contains('@') {
            return Err(SmtpError(format!("{to:?} is not an address")));
        }
        for _ in 0..STEPS {
            tokio::time::sleep(SMTP_ROUND_TRIP).await;
        }
        if let Ok(mut delivered) = self.delivered.lock() {
            delivered.push(format!("{to}: {subject}"));
        }
        Ok(())
    }
}

/// How many users sign up at once in the check.
pub const SIGNUPS: usize = 5;

async fn signup(app: &Router, user: &str) -> Result<Reply, Failure> {
    let request = Request::post(format!("/signup/{user}"))
        .body(Body::empty())
        .map_err(|err| Failure::new(format!("could not build a request: {err}")))?;
    http::send(app, request).await
}

/// Checks a signup service and ends the process with the verdict.
///
/// `app` receives the connection to the mail relay and returns the router. It must route
/// `POST /signup/{user}`, which sends `{user}@example.com` a mail with the subject
/// "Welcome" and answers `201 Created` once the relay has it, and `GET /health`.
pub fn check(app: impl FnOnce(SmtpConnection) -> Router) -> ! {
    harness::run("welcome mails", async move {
        let delivered = Arc::new(Mutex::new(Vec::new()));
        let app = app(SmtpConnection {
            delivered: Arc::clone(&delivered),
        });
        let app = &app;

        let signups = (0..SIGNUPS).map(|i| async move { signup(app, &format!("user{i}")).await });
        let health = async {
            let (reply, elapsed) = timed(http::get(app, "/health")).await;
            let reply = reply?;
            ensure(
                reply.status == StatusCode::OK && elapsed < SMTP_ROUND_TRIP,
                || {
                    format!(
                        "GET /health, sent while mails were going out, got {} after {} ms: it should \
                     not wait for the mail relay",
                        reply.status,
                        elapsed.as_millis()
                    )
                },
            )
        };
        let ((replies, healthy), elapsed) =
            timed(async { tokio::join!(join_all(signups), health) }).await;
        healthy?;
        for reply in replies {
            let reply = reply?;
            ensure(reply.status == StatusCode::CREATED, || {
                format!(
                    "a signup got {} {:?} instead of 201 Created",
                    reply.status, reply.body
                )
            })?;
        }
        let mut delivered = delivered.lock().map(|d| d.clone()).unwrap_or_default();
        delivered.sort();
        let expected: Vec<String> = (0..SIGNUPS)
            .map(|i| format!("user{i}@example.com: Welcome"))
            .collect();
        ensure(delivered == expected, || {
            format!(
                "the relay should have one welcome mail per signup, {expected:?}, but has {delivered:?}"
            )
        })?;
        // One connection carries one mail at a time, so the signups take turns; anything
        // slower than that means something else made them wait.
        let one_mail = SMTP_ROUND_TRIP * STEPS;
        ensure(elapsed <= one_mail * SIGNUPS as u32, || {
            format!(
                "{SIGNUPS} signups took {} ms; taking turns on the one connection takes {} ms",
                elapsed.as_millis(),
                (one_mail * SIGNUPS as u32).as_millis()
            )
        })
    })
}
