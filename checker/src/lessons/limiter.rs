//! Rate limiting, both ways (exercises 06, 15 and 18).
//!
//! Inbound: a search API gives each client (named by its `x-api-key` header) a
//! [`Bucket`] of a few requests that refills over time; a client whose bucket is empty
//! gets `429 Too Many Requests` without reaching the slow [`SearchBackend`].
//!
//! Outbound: an alerting service may send only so many text messages per second to its
//! [`SmsProvider`], so it waits for a token of its own bucket before each send.

use std::collections::HashMap;
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

/// A token bucket: up to `capacity` tokens, one more every `refill` until it is full.
/// Each request (or message) takes one token; with none left, it must wait or be refused.
#[derive(Debug, Clone)]
pub struct Bucket {
    capacity: u32,
    refill: Duration,
    tokens: u32,
    /// When the last token was added (or the bucket was full).
    since: Instant,
}

impl Bucket {
    /// A full bucket.
    pub fn new(capacity: u32, refill: Duration) -> Self {
        Bucket {
            capacity,
            refill,
            tokens: capacity,
            since: Instant::now(),
        }
    }

    /// The bucket every API client starts with: [`CLIENT_BURST`] requests at once, then
    /// one more every [`CLIENT_REFILL`].
    pub fn per_client() -> Self {
        Bucket::new(CLIENT_BURST, CLIENT_REFILL)
    }

    /// The bucket of the SMS provider's contract: [`SMS_BURST`] messages at once, then one
    /// more every [`SMS_REFILL`].
    pub fn sms_contract() -> Self {
        Bucket::new(SMS_BURST, SMS_REFILL)
    }

    /// Takes a token if there is one. Otherwise says how long until the next one.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        let grown = (now.saturating_duration_since(self.since).as_nanos()
            / self.refill.as_nanos().max(1)) as u32;
        if self.tokens + grown >= self.capacity {
            self.tokens = self.capacity;
            self.since = now;
        } else {
            self.tokens += grown;
            self.since += self.refill * grown;
        }
        if self.tokens > 0 {
            self.tokens -= 1;
            Ok(())
        } else {
            Err(self.since + self.refill - now)
        }
    }
}

/// How many requests a client may make at once.
pub const CLIENT_BURST: u32 = 3;

/// How soon a client gets one more request.
pub const CLIENT_REFILL: Duration = Duration::from_secs(1);

/// How long the search backend takes to answer.
pub const SEARCH_LATENCY: Duration = Duration::from_millis(50);

/// The API key a request carries in its `x-api-key` header. A request without one is
/// refused with `401 Unauthorized` before the handler runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ApiKey {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get("x-api-key")
            .and_then(|value| value.to_str().ok())
            .map(|key| ApiKey(key.to_owned()))
            .ok_or((StatusCode::UNAUTHORIZED, "an x-api-key header is required"))
    }
}

/// The search engine behind the API. Simulated: it answers after [`SEARCH_LATENCY`].
#[derive(Clone, Debug, Default)]
pub struct SearchBackend {
    searches: Arc<AtomicUsize>,
}

impl SearchBackend {
    /// Runs a search and returns the results page.
    pub async fn search(&self, query: &str) -> String {
        self.searches.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(SEARCH_LATENCY).await;
        results(query)
    }

    fn searches(&self) -> usize {
        self.searches.load(Ordering::SeqCst)
    }
}

fn results(query: &str) -> String {
    format!("results for {query:?}")
}

async fn search_as(app: &Router, key: &str, query: &str) -> Result<Reply, Failure> {
    let request = Request::get(format!("/search?q={query}"))
        .header("x-api-key", key)
        .body(Body::empty())
        .map_err(|err| Failure::new(format!("could not build a request: {err}")))?;
    http::send(app, request).await
}

/// Checks a rate-limited search API and ends the process with the verdict.
///
/// `app` receives the search backend and returns the router. It must route
/// `GET /search?q=…` (limited per API key) and `GET /limits/refused`, which answers how
/// many requests have been refused so far.
pub fn check(app: impl FnOnce(SearchBackend) -> Router) -> ! {
    harness::run("rate-limited search", async move {
        let backend = SearchBackend::default();
        let app = app(backend.clone());

        // A burst within the limit is served.
        for i in 0..CLIENT_BURST {
            let reply = search_as(&app, "alice", &format!("boots{i}")).await?;
            ensure(
                reply.status == StatusCode::OK && reply.body == results(&format!("boots{i}")),
                || {
                    format!(
                        "request {} of a client within its limit got {} {:?}",
                        i + 1,
                        reply.status,
                        reply.body
                    )
                },
            )?;
        }

        // One more is refused, without a search.
        let before = backend.searches();
        let reply = search_as(&app, "alice", "boots").await?;
        ensure(reply.status == StatusCode::TOO_MANY_REQUESTS, || {
            format!(
                "request {} of a client in the same instant should get 429 Too Many Requests, \
                 but got {} {:?}",
                CLIENT_BURST + 1,
                reply.status,
                reply.body
            )
        })?;
        ensure(backend.searches() == before, || {
            "a refused request still reached the search backend".into()
        })?;

        // Other clients have buckets of their own.
        let reply = search_as(&app, "bob", "socks").await?;
        ensure(reply.status == StatusCode::OK, || {
            format!(
                "a second client was refused ({}): each API key has its own bucket",
                reply.status
            )
        })?;

        // The bucket refills.
        tokio::time::sleep(CLIENT_REFILL).await;
        let reply = search_as(&app, "alice", "boots").await?;
        ensure(reply.status == StatusCode::OK, || {
            format!(
                "a client that waited {} s should be served again, but got {}",
                CLIENT_REFILL.as_secs(),
                reply.status
            )
        })?;

        // The count of refusals is right.
        let reply = http::get(&app, "/limits/refused").await?;
        ensure(
            reply.status == StatusCode::OK && reply.body.trim() == "1",
            || {
                format!(
                    "GET /limits/refused should answer 1 (one request was refused so far), \
                 but answered {} {:?}",
                    reply.status, reply.body
                )
            },
        )?;

        // Many clients at once do not wait for each other, and a refusal is immediate.
        let app = &app;
        let searches =
            (0..12).map(|i| async move { search_as(app, &format!("client-{i}"), "lamps").await });
        let refusal = async {
            // Carol spends her burst, then asks again while the others are being served.
            for _ in 0..CLIENT_BURST {
                search_as(app, "carol", "tents").await?;
            }
            let (reply, waited) = timed(search_as(app, "carol", "tents")).await;
            ensure(waited < SEARCH_LATENCY, || {
                format!(
                    "a refusal took {} ms: a request over its limit should be refused at once, \
                     not wait for other clients' searches",
                    waited.as_millis()
                )
            })?;
            reply
        };
        let ((replies, refused), elapsed) =
            timed(async { tokio::join!(join_all(searches), refusal) }).await;
        for reply in replies {
            let reply = reply?;
            ensure(reply.status == StatusCode::OK, || {
                format!("one of many clients at once got {}", reply.status)
            })?;
        }
        ensure(refused?.status == StatusCode::TOO_MANY_REQUESTS, || {
            "a client over its limit was served while others were being served".into()
        })?;
        let expected = SEARCH_LATENCY * (CLIENT_BURST + 1);
        ensure(elapsed <= expected, || {
            format!(
                "12 clients at once, and one client's {} requests, took {:.1}× the backend's \
                 latency instead of {}×: requests waited for each other (is a lock held during \
                 the search?)",
                CLIENT_BURST + 1,
                times(elapsed, SEARCH_LATENCY),
                CLIENT_BURST
            )
        })
    })
}

/// How many messages the SMS provider accepts at once.
pub const SMS_BURST: u32 = 5;

/// How soon the SMS provider accepts one more message.
pub const SMS_REFILL: Duration = Duration::from_millis(200);

/// How long the SMS provider takes to accept a message.
pub const SMS_LATENCY: Duration = Duration::from_millis(300);

/// A text-message gateway whose contract allows a burst of [`SMS_BURST`] messages, then
/// one every [`SMS_REFILL`]. Simulated: it records when each message arrived and refuses
/// one that breaks the contract.
#[derive(Clone, Debug)]
pub struct SmsProvider {
    inner: Arc<Mutex<Contract>>,
}

#[derive(Debug)]
struct Contract {
    bucket: Bucket,
    delivered: HashMap<String, usize>,
    refused: usize,
}

/// The provider refused a message: the sender broke the rate in its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateExceeded;

impl std::fmt::Display for RateExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("429 from the SMS provider: rate exceeded")
    }
}

impl std::error::Error for RateExceeded {}

impl SmsProvider {
    fn new() -> Self {
        SmsProvider {
            inner: Arc::new(Mutex::new(Contract {
                bucket: Bucket::sms_contract(),
                delivered: HashMap::new(),
                refused: 0,
            })),
        }
    }

    /// Sends `text` to the phone number `to`.
    pub async fn send(&self, to: &str, text: &str) -> Result<(), RateExceeded> {
        let accepted = match self.inner.lock() {
            Ok(mut contract) => {
                let accepted = contract.bucket.try_take(Instant::now()).is_ok();
                if accepted {
                    *contract
                        .delivered
                        .entry(format!("{to}: {text}"))
                        .or_default() += 1;
                } else {
                    contract.refused += 1;
                }
                accepted
            }
            Err(_) => false,
        };
        tokio::time::sleep(SMS_LATENCY).await;
        if accepted { Ok(()) } else { Err(RateExceeded) }
    }

    fn report(&self) -> (HashMap<String, usize>, usize) {
        self.inner
            .lock()
            .map(|c| (c.delivered.clone(), c.refused))
            .unwrap_or_default()
    }
}

/// How many alerts the throttle check sends at once.
pub const ALERTS: usize = 15;

/// Checks an alerting service that throttles its text messages, and ends the process with
/// the verdict.
///
/// `app` receives the SMS provider and returns the router. It must route
/// `POST /alerts/{phone}`, which sends one text message and answers `202 Accepted` once
/// the provider accepted it.
pub fn check_throttle(app: impl FnOnce(SmsProvider) -> Router) -> ! {
    harness::run("throttled alerts", async move {
        let provider = SmsProvider::new();
        let app = app(provider.clone());
        let app = &app;
        let alerts = (0..ALERTS).map(|i| async move {
            let request = Request::post(format!("/alerts/+1555000{i:04}"))
                .body(Body::empty())
                .map_err(|err| Failure::new(format!("could not build a request: {err}")))?;
            http::send(app, request).await
        });
        let (replies, elapsed) = timed(join_all(alerts)).await;
        let (delivered, refused) = provider.report();
        ensure(refused == 0, || {
            format!(
                "the SMS provider refused {refused} of {ALERTS} messages: they were sent faster \
                 than its contract allows ({SMS_BURST} at once, then one every {} ms)",
                SMS_REFILL.as_millis()
            )
        })?;
        for reply in replies {
            let reply = reply?;
            ensure(reply.status == StatusCode::ACCEPTED, || {
                format!(
                    "an alert got {} {:?} instead of 202 Accepted",
                    reply.status, reply.body
                )
            })?;
        }
        ensure(
            delivered.len() == ALERTS && delivered.values().all(|n| *n == 1),
            || format!("each of the {ALERTS} alerts should be delivered once, but: {delivered:?}"),
        )?;
        // The last message may leave when its token arrives, and then takes the provider's
        // latency; anything slower means messages waited for more than the contract.
        let expected = SMS_REFILL * (ALERTS as u32 - SMS_BURST) + SMS_LATENCY;
        ensure(elapsed <= expected, || {
            format!(
                "{ALERTS} alerts took {} ms; the contract allows them in {} ms: messages waited \
                 for each other's delivery, not only for the rate (is a lock held while a \
                 message is sent?)",
                elapsed.as_millis(),
                expected.as_millis()
            )
        })
    })
}
