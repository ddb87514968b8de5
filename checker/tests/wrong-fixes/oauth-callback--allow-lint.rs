// # The callback that will not compile
//
// Story: users log in through an identity provider. When the provider sends a user back
// to `/callback?code=…&state=…`, this handler looks up the secret PKCE verifier it kept for
// `state`, then exchanges the code and verifier for an access token. The exchange is a
// network call, so the handler awaits it.
//
// What is wrong: it does not compile. The compiler says the future "cannot be sent
// between threads safely".
//
// What to do: make it compile without changing what it does, and hold the lock for as
// short a time as you can. Only the handler needs to change.
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
// The wrong fix: the guard's life is ended in a block, and the lint that finds a guard held
// across an `.await` is silenced "just in case". The attribute would hide the next such
// guard in this handler, so the checker refuses it until it is gone.
#[axum::debug_handler]
#[allow(clippy::await_holding_lock)]
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
