//! Read-mostly data behind a `std::sync::RwLock` (exercises 13 and 14).
//!
//! Exercise 13: a shop quotes prices with one of two pricing engines, chosen by a feature
//! flag that operators flip at run time. Every quote reads the flags; a flip writes them.
//!
//! Exercise 14: a shipping page calls a partner's API with an access token that the
//! partner's auth server issues and that expires after [`TOKEN_LIFETIME`]. Every call
//! reads the cached token; now and then one replaces it.

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures::future::join_all;
use tokio::time::Instant;

use crate::harness::clock::{timed, times};
use crate::harness::http::{self, Reply};
use crate::harness::{self, Failure, ensure};

/// How long a pricing engine takes to quote a cart.
pub const QUOTE_LATENCY: Duration = Duration::from_millis(100);

/// The feature flags of the shop.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// Quote with the new dynamic engine instead of the list-price one.
    pub dynamic_pricing: bool,
}

/// The two pricing engines. Simulated: each quote takes [`QUOTE_LATENCY`].
#[derive(Clone, Debug, Default)]
pub struct Pricing {
    quotes: Arc<AtomicUsize>,
}

impl Pricing {
    /// Quotes `cart` at list prices.
    pub async fn list_price(&self, cart: &str) -> String {
        self.quotes.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(QUOTE_LATENCY).await;
        list_quote(cart)
    }

    /// Quotes `cart` with the dynamic engine.
    pub async fn dynamic(&self, cart: &str) -> String {
        self.quotes.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(QUOTE_LATENCY).await;
        dynamic_quote(cart)
    }
}

fn list_quote(cart: &str) -> String {
    format!("cart {cart}: 100.00 (list price)")
}

fn dynamic_quote(cart: &str) -> String {
    format!("cart {cart}: 92.50 (dynamic)")
}

async fn flip(app: &Router, on: bool) -> Result<(Reply, Duration), Failure> {
    let request = Request::put(format!("/flags/dynamic-pricing/{on}"))
        .body(Body::empty())
        .map_err(|err| Failure::new(format!("could not build a request: {err}")))?;
    let (reply, elapsed) = timed(http::send(app, request)).await;
    let reply = reply?;
    ensure(reply.status.is_success(), || {
        format!(
            "PUT /flags/dynamic-pricing/{on} got {} {:?}",
            reply.status, reply.body
        )
    })?;
    Ok((reply, elapsed))
}

async fn expect_quote(app: &Router, cart: &str, expected: &str, when: &str) -> Result<(), Failure> {
    let reply = http::get(app, &format!("/quote/{cart}")).await?;
    ensure(
        reply.status == StatusCode::OK && reply.body == expected,
        || {
            format!(
                "{when}, GET /quote/{cart} should answer {expected:?}, but got {} {:?}",
                reply.status, reply.body
            )
        },
    )
}

/// Checks a shop's quotes and flags, and ends the process with the verdict.
///
/// `app` receives the pricing engines and returns the router. It must route
/// `GET /quote/{cart}`, quoted by the engine the flags choose, and
/// `PUT /flags/dynamic-pricing/{on}` (`true` or `false`), which flips the flag.
pub fn check(app: impl FnOnce(Pricing) -> Router) -> ! {
    harness::run("pricing flags", async move {
        let app = app(Pricing::default());
        let app = &app;
        expect_quote(app, "c1", &list_quote("c1"), "with the flag off").await?;
        flip(app, true).await?;
        expect_quote(app, "c1", &dynamic_quote("c1"), "with the flag on").await?;

        // Quotes in flight, and an operator flips the flag back in the middle of them.
        let quotes = (0..8).map(|i| async move {
            let cart = format!("c{i}");
            expect_quote(app, &cart, &dynamic_quote(&cart), "while the flag was on").await
        });
        let flip_back = async {
            tokio::time::sleep(QUOTE_LATENCY / 2).await;
            flip(app, false).await
        };
        let ((quotes, flipped), elapsed) =
            timed(async { tokio::join!(join_all(quotes), flip_back) }).await;
        for quote in quotes {
            quote?;
        }
        let (_, waited) = flipped?;
        ensure(waited < QUOTE_LATENCY / 4, || {
            format!(
                "flipping the flag while quotes were in flight took {} ms: the flag's write \
                 waited for the quotes (is a read guard held while a quote is computed?)",
                waited.as_millis()
            )
        })?;
        ensure(elapsed < QUOTE_LATENCY * 2, || {
            format!(
                "8 quotes at once took {:.1}× one quote instead of about 1×",
                times(elapsed, QUOTE_LATENCY)
            )
        })?;
        expect_quote(
            app,
            "c9",
            &list_quote("c9"),
            "after the flag was flipped back",
        )
        .await
    })
}

/// How long an access token from the partner's auth server is valid.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(5);

/// How long the auth server takes to issue a token.
pub const AUTH_LATENCY: Duration = Duration::from_millis(100);

/// How long the partner's API takes to answer.
pub const PARTNER_LATENCY: Duration = Duration::from_millis(50);

/// An access token and when it stops being accepted.
#[derive(Debug, Clone)]
pub struct Token {
    pub value: String,
    pub expires_at: Instant,
}

impl Token {
    /// A token that has already expired: the value to start with, before the first fetch.
    pub fn expired() -> Self {
        Token {
            value: String::new(),
            expires_at: Instant::now(),
        }
    }
}

/// The partner's auth server and API. Simulated: the auth server issues a new token on
/// every fetch; the API accepts any issued token until it expires.
#[derive(Clone, Debug, Default)]
pub struct Partner {
    inner: Arc<Mutex<Issued>>,
}

#[derive(Debug, Default)]
struct Issued {
    tokens: Vec<Token>,
    refused: usize,
}

/// The partner's API refused the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unauthorized;

impl fmt::Display for Unauthorized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("401 from the partner: the access token is expired or unknown")
    }
}

impl std::error::Error for Unauthorized {}

impl Partner {
    /// Asks the auth server for a new access token.
    pub async fn fetch_token(&self) -> Token {
        tokio::time::sleep(AUTH_LATENCY).await;
        let mut issued = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let token = Token {
            value: format!("token-{}", issued.tokens.len() + 1),
            expires_at: Instant::now() + TOKEN_LIFETIME,
        };
        issued.tokens.push(token.clone());
        token
    }

    /// Looks up a shipment, authorized by `token`.
    pub async fn shipment(&self, id: &str, token: &str) -> Result<String, Unauthorized> {
        let now = Instant::now();
        let valid = {
            let mut issued = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            let valid = issued
                .tokens
                .iter()
                .any(|t| t.value == token && t.expires_at > now);
            if !valid {
                issued.refused += 1;
            }
            valid
        };
        tokio::time::sleep(PARTNER_LATENCY).await;
        if valid {
            Ok(format!("shipment {id}: in transit"))
        } else {
            Err(Unauthorized)
        }
    }

    fn tokens_issued(&self) -> usize {
        self.inner.lock().map(|i| i.tokens.len()).unwrap_or(0)
    }

    fn distinct_tokens(&self) -> HashSet<String> {
        self.inner
            .lock()
            .map(|i| i.tokens.iter().map(|t| t.value.clone()).collect())
            .unwrap_or_default()
    }
}

async fn shipments_at_once(app: &Router, n: usize) -> Result<Duration, Failure> {
    let requests = (0..n).map(|i| async move {
        let reply = http::get(app, &format!("/shipments/s{i}")).await?;
        ensure(
            reply.status == StatusCode::OK && reply.body == format!("shipment s{i}: in transit"),
            || format!("GET /shipments/s{i} got {} {:?}", reply.status, reply.body),
        )
    });
    let (results, elapsed) = timed(join_all(requests)).await;
    results.into_iter().collect::<Result<Vec<()>, Failure>>()?;
    Ok(elapsed)
}

/// Checks a shipping page that calls the partner's API, and ends the process with the
/// verdict.
///
/// `app` receives the partner and returns the router. It must route
/// `GET /shipments/{id}`, which calls [`Partner::shipment`] with a valid token, fetching
/// a new one only when the one it has has expired.
pub fn check_tokens(app: impl FnOnce(Partner) -> Router) -> ! {
    harness::run("partner tokens", async move {
        let partner = Partner::default();
        let app = app(partner.clone());
        let app = &app;

        shipments_at_once(app, 1).await?;
        ensure(partner.tokens_issued() == 1, || {
            format!(
                "the first call should fetch one token, but {} were fetched",
                partner.tokens_issued()
            )
        })?;

        let elapsed = shipments_at_once(app, 8).await?;
        ensure(partner.tokens_issued() == 1, || {
            format!(
                "calls made while the token is valid should reuse it, but {} tokens were fetched",
                partner.tokens_issued()
            )
        })?;
        ensure(elapsed < PARTNER_LATENCY * 2, || {
            format!(
                "8 calls at once with a valid token took {:.1}× one call instead of about 1×: \
                 they waited for each other",
                times(elapsed, PARTNER_LATENCY)
            )
        })?;

        tokio::time::sleep(TOKEN_LIFETIME).await;
        let elapsed = shipments_at_once(app, 8).await?;
        let issued = partner.tokens_issued();
        ensure((2..=9).contains(&issued), || {
            format!(
                "once the token expired, a new one should be fetched ({issued} were fetched in all)"
            )
        })?;
        ensure(elapsed <= AUTH_LATENCY + PARTNER_LATENCY, || {
            format!(
                "8 calls at once with an expired token took {} ms: one token fetch and one call \
                 take {} ms",
                elapsed.as_millis(),
                (AUTH_LATENCY + PARTNER_LATENCY).as_millis()
            )
        })?;
        // The token now cached must be one of those just issued, and still be valid.
        shipments_at_once(app, 1).await?;
        ensure(
            partner.tokens_issued() == issued && partner.distinct_tokens().len() == issued,
            || "right after a refresh, the new token should be reused".into(),
        )
    })
}
