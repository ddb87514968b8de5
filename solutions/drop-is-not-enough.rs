// # The drop that did not help
//
// Story: a teammate fixed the callback of exercise `oauth-callback` the way most people first try:
// release the lock with `drop(verifiers)` before the token exchange. The lock is indeed
// released there when the program runs, yet the compiler still refuses the code.
//
// What is wrong: the compiler decides what a future holds across an `.await` from the
// scopes of its variables. `verifiers` was borrowed (by `remove`), and a variable that was
// borrowed is counted as alive until the end of its scope, `drop` or not.
//
// What to do: make the guard's life end where the compiler can see it end, without
// changing what the handler does.
//
// Book: "When drop() is not enough" (src/fixes/drop.md).

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
    // The guard is a temporary of this one statement: it is dropped at the `;`, and the
    // compiler sees that it cannot be alive at the `.await` below.
    let verifier = app.verifiers.lock().unwrap().remove(&callback.state);

    let Some(verifier) = verifier else {
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
