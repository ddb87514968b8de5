// Claim: switching to `tokio::sync::Mutex` makes exercise 01 compile without moving a line,
// because tokio's guard is `Send`. But the guard is then held through the token exchange,
// so logins happen one at a time: eight at once take eight times the provider's latency.
//
// Verdict: logins at once took 8.0× the provider's latency
//
// Book: "An async mutex" (src/fixes/async-mutex.md).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::oauth::TokenClient;
use serde::Deserialize;
use tokio::sync::Mutex;

// ANCHOR: state
#[derive(Clone)]
struct AppState {
    /// The PKCE verifier of every login in progress, by the `state` sent to the provider.
    verifiers: Arc<Mutex<HashMap<String, String>>>,
    provider: TokenClient,
}

#[derive(Deserialize)]
struct Callback {
    code: String,
    state: String,
}
// ANCHOR_END: state

// ANCHOR: handler
#[axum::debug_handler]
async fn callback(
    State(app): State<AppState>,
    Query(callback): Query<Callback>,
) -> Result<String, (StatusCode, String)> {
    let mut verifiers = app.verifiers.lock().await;
    let Some(verifier) = verifiers.remove(&callback.state) else {
        return Err((StatusCode::BAD_REQUEST, "unknown login attempt".into()));
    };

    let token = app
        .provider
        .exchange(&callback.code, &verifier)
        .await
        .map_err(|err| (StatusCode::BAD_GATEWAY, err.to_string()))?;
    Ok(token)
}
// ANCHOR_END: handler

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(provider: TokenClient, verifiers: HashMap<String, String>) -> Router {
    let state = AppState {
        verifiers: Arc::new(Mutex::new(verifiers)),
        provider,
    };
    Router::new()
        .route("/callback", get(callback))
        .with_state(state)
}

fn main() {
    checker::oauth::check(app);
}
