// # The limiter that kept its state close
//
// Story: the search API's rate limiter again (exercise `rate-limit-scope`), as first written by someone
// who knew that every handler runs on "the" event loop: plain `Rc`, `RefCell` and `Cell`,
// no locks, no atomics. The handler is already careful to give back the borrow before
// the search.
//
// What is wrong: it does not compile, and the error is not about the handler's future but
// about the router's state.
//
// What to do: give the state types that may be shared between threads (in `AppState`
// and `AppState::new`), and adapt the handlers to them without changing what they do.
//
// Book: "Rc, RefCell and Cell in axum's state" (src/other/rc-in-state.md).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::limiter::{ApiKey, Bucket, SearchBackend};
use serde::Deserialize;
use tokio::time::Instant;

// ANCHOR: state
// axum may run handlers on any of its threads, so the state must be `Send + Sync`:
// `Arc` instead of `Rc`, a `Mutex` instead of a `RefCell`, an atomic instead of a `Cell`.
#[derive(Clone)]
struct AppState {
    limits: Arc<Limits>,
    backend: SearchBackend,
}

struct Limits {
    /// One token bucket per API key.
    buckets: Mutex<HashMap<String, Bucket>>,
    refused: AtomicU64,
}

impl AppState {
    fn new(backend: SearchBackend) -> Self {
        let limits = Limits {
            buckets: Mutex::new(HashMap::new()),
            refused: AtomicU64::new(0),
        };
        AppState {
            limits: Arc::new(limits),
            backend,
        }
    }
}

#[derive(Deserialize)]
struct Search {
    q: String,
}
// ANCHOR_END: state

// ANCHOR: handler
async fn search(
    State(app): State<AppState>,
    ApiKey(key): ApiKey,
    Query(search): Query<Search>,
) -> Result<String, StatusCode> {
    let allowed = {
        let mut buckets = app.limits.buckets.lock().unwrap();
        let bucket = buckets.entry(key).or_insert_with(Bucket::per_client);
        bucket.try_take(Instant::now()).is_ok()
    };
    if !allowed {
        app.limits.refused.fetch_add(1, Ordering::Relaxed);
        return Err(StatusCode::TOO_MANY_REQUESTS);
    }

    Ok(app.backend.search(&search.q).await)
}
// ANCHOR_END: handler

async fn refused(State(app): State<AppState>) -> String {
    app.limits.refused.load(Ordering::Relaxed).to_string()
}

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(backend: SearchBackend) -> Router {
    Router::new()
        .route("/search", get(search))
        .route("/limits/refused", get(refused))
        .with_state(AppState::new(backend))
}

fn main() {
    checker::limiter::check(app);
}
