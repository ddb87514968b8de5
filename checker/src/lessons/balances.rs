//! The account balances (the exercise `ledger-routes-generic`).
//!
//! A bank's web app shows account balances. The routes come from a small library module
//! that is generic over where accounts are stored; the app plugs in the [`Ledger`], a
//! client for the bank's ledger service, which answers after [`LEDGER_LATENCY`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use futures::future::join_all;

use crate::harness::clock::{timed, times};
use crate::harness::http::{self, Reply};
use crate::harness::{self, Failure, ensure};

/// How long the ledger service takes to answer.
pub const LEDGER_LATENCY: Duration = Duration::from_millis(100);

/// A client for the ledger service. Simulated; `Send`, `Sync` and cheap to clone. It knows
/// the accounts `acc-1` to `acc-8`; `acc-N` holds `N * 100` cents.
#[derive(Debug, Clone)]
pub struct Ledger {
    balances: Arc<HashMap<String, u64>>,
    queries: Arc<AtomicUsize>,
}

impl Ledger {
    fn new() -> Self {
        let balances = (1..=8).map(|n| (format!("acc-{n}"), n * 100)).collect();
        Ledger {
            balances: Arc::new(balances),
            queries: Arc::default(),
        }
    }

    /// The balance of `account` in cents, or `None` if there is no such account.
    pub async fn balance_cents(&self, account: &str) -> Option<u64> {
        self.queries.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(LEDGER_LATENCY).await;
        self.balances.get(account).copied()
    }
}

/// Checks the balance routes and ends the process with the verdict.
///
/// `app` receives the ledger and returns the router. It must route
/// `GET /accounts/{id}/balance`: the balance in cents as the body, or a 404 for an account
/// the ledger does not know. Eight requests at once take one ledger round trip, not eight.
pub fn check(app: impl FnOnce(Ledger) -> Router) -> ! {
    harness::run("account balances", async move {
        let ledger = Ledger::new();
        let app = app(ledger.clone());

        let unknown = http::get(&app, "/accounts/acc-404/balance").await?;
        ensure(unknown.status == StatusCode::NOT_FOUND, || {
            format!(
                "an account the ledger does not know should be a 404, but got {} {:?}",
                unknown.status, unknown.body
            )
        })?;

        let requests = (1..=8u64).map(|n| {
            let app = &app;
            async move {
                let reply = http::get(app, &format!("/accounts/acc-{n}/balance")).await?;
                Ok::<(u64, Reply), Failure>((n, reply))
            }
        });
        let (replies, elapsed) = timed(join_all(requests)).await;
        for reply in replies {
            let (n, reply) = reply?;
            let expected = (n * 100).to_string();
            ensure(
                reply.status == StatusCode::OK && reply.body == expected,
                || {
                    format!(
                        "GET /accounts/acc-{n}/balance should answer 200 {expected:?}, but got {} {:?}",
                        reply.status, reply.body
                    )
                },
            )?;
        }
        ensure(elapsed < LEDGER_LATENCY * 2, || {
            format!(
                "8 balances asked for at once took {:.1}× the ledger's latency instead of about \
                 1×: each request waited for the one before it",
                times(elapsed, LEDGER_LATENCY)
            )
        })?;
        let queries = ledger.queries.load(Ordering::SeqCst);
        ensure(queries == 9, || {
            format!("9 requests should ask the ledger 9 times, but it was asked {queries} times")
        })
    })
}
