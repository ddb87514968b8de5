// Claim: when the work under the lock blocks (here, a file read and rewritten), ending the
// guard's life before the `.await` is not enough. The future is `Send` and compiles, but
// the file I/O runs on the async runtime's thread and stalls every other request meanwhile.
//
// Verdict: ran on the async runtime's own thread
//
// Book: "spawn_blocking" (src/fixes/spawn-blocking.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::oauth::{TokenClient, VerifierFile};
use serde::Deserialize;

// ANCHOR: state
#[derive(Clone)]
struct AppState {
    /// The PKCE verifier of every login in progress, by the `state` sent to the provider,
    /// kept in a file so that logins survive a restart. Reading it blocks.
    verifiers: Arc<Mutex<VerifierFile>>,
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
    let taken = app.verifiers.lock().unwrap().take(&callback.state);
    let verifier = match taken {
        Ok(Some(verifier)) => verifier,
        Ok(None) => return Err((StatusCode::BAD_REQUEST, "unknown login attempt".into())),
        Err(err) => return Err((StatusCode::INTERNAL_SERVER_ERROR, err.to_string())),
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
        verifiers: Arc::new(Mutex::new(
            VerifierFile::create(&verifiers).expect("the verifier file can be written"),
        )),
        provider,
    };
    Router::new()
        .route("/callback", get(callback))
        .with_state(state)
}

fn main() {
    checker::oauth::check(app);
}
