// Claim: a callback that unwraps the verifier lookup compiles and serves real logins, but a
// client who sends a `state` we never issued makes it panic instead of getting a 400.
//
// Verdict: panicked
//
// Book: "The callback that would not compile" (src/story/oauth-callback.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::oauth::TokenClient;
use serde::Deserialize;

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
    // The guard lives only inside this block: the lock is released at its `}`,
    // before the exchange is awaited.
    let verifier = {
        let mut verifiers = app.verifiers.lock().unwrap();
        verifiers.remove(&callback.state)
    };
    let verifier = verifier.unwrap();

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
