// # The rate limiter that held on
//
// Story: a search API gives each client a small budget of requests that refills every
// second. The handler takes a token from the client's bucket, then runs the search.
//
// What is wrong: it does not compile. The handler's future "cannot be sent between
// threads safely".
//
// What to do: decide whether the request may go ahead while holding the lock, then let go
// of the lock before the search. Only the handler needs to change.
//
// Book: "End the guard's life before the await" (src/fixes/scope.md).

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
#[derive(Clone)]
struct AppState {
    /// One token bucket per API key.
    buckets: Arc<Mutex<HashMap<String, Bucket>>>,
    refused: Arc<AtomicU64>,
    backend: SearchBackend,
}

#[derive(Deserialize)]
struct Search {
    q: String,
}
// ANCHOR_END: state

// ANCHOR: handler
#[axum::debug_handler]
async fn search(
    State(app): State<AppState>,
    ApiKey(key): ApiKey,
    Query(search): Query<Search>,
) -> Result<String, StatusCode> {
    // Decide under the lock, and keep only the decision: the guard dies at the block's
    // `}`, so it is not alive during the search below.
    let allowed = {
        let mut buckets = app.buckets.lock().unwrap();
        let bucket = buckets.entry(key).or_insert_with(Bucket::per_client);
        bucket.try_take(Instant::now()).is_ok()
    };
    if !allowed {
        app.refused.fetch_add(1, Ordering::Relaxed);
        return Err(StatusCode::TOO_MANY_REQUESTS);
    }

    Ok(app.backend.search(&search.q).await)
}
// ANCHOR_END: handler

async fn refused(State(app): State<AppState>) -> String {
    app.refused.load(Ordering::Relaxed).to_string()
}

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(backend: SearchBackend) -> Router {
    let state = AppState {
        buckets: Arc::new(Mutex::new(HashMap::new())),
        refused: Arc::new(AtomicU64::new(0)),
        backend,
    };
    Router::new()
        .route("/search", get(search))
        .route("/limits/refused", get(refused))
        .with_state(state)
}

fn main() {
    checker::limiter::check(app);
}
