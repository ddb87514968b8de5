//! The downstream service the proxy forwards to: it answers every request after a fixed
//! delay, the `D` of the theory. The delay is a timer, not busy work, so a slow downstream
//! costs the proxy's machine no CPU, as a remote service would.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use tokio::sync::Barrier;

/// The path the downstream serves.
pub const PATH: &str = "/work";

/// The body of every answer, so a client can tell a real answer from an error page.
pub const BODY: &str = "downstream says hello";

/// How the downstream behaves.
#[derive(Clone, Default)]
pub struct Downstream {
    latency: Duration,
    /// Tests only: every request waits here until this many requests are in flight together.
    rendezvous: Option<Arc<Barrier>>,
    in_flight: Arc<InFlight>,
}

/// Counts the requests being served at once, and the most ever seen.
#[derive(Default)]
pub struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl InFlight {
    /// The largest number of requests that were ever inside the handler at the same time.
    pub fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

impl Downstream {
    /// A downstream that answers every request after `latency`.
    pub fn with_latency(latency: Duration) -> Self {
        Self {
            latency,
            ..Self::default()
        }
    }

    /// A downstream that answers only once `count` requests are in flight at the same time.
    /// A proxy that serialises its downstream calls never gets it there, which is what a test
    /// can check without measuring time.
    pub fn rendezvous(count: usize) -> Self {
        Self {
            rendezvous: Some(Arc::new(Barrier::new(count))),
            ..Self::default()
        }
    }

    pub fn in_flight(&self) -> Arc<InFlight> {
        Arc::clone(&self.in_flight)
    }

    pub fn router(self) -> Router {
        Router::new()
            .route(PATH, get(answer))
            .with_state(Arc::new(self))
    }
}

async fn answer(State(downstream): State<Arc<Downstream>>) -> &'static str {
    let counter = &downstream.in_flight;
    let now = counter.now.fetch_add(1, Ordering::SeqCst) + 1;
    counter.most.fetch_max(now, Ordering::SeqCst);
    if let Some(barrier) = &downstream.rendezvous {
        barrier.wait().await;
    }
    if !downstream.latency.is_zero() {
        tokio::time::sleep(downstream.latency).await;
    }
    counter.now.fetch_sub(1, Ordering::SeqCst);
    BODY
}
