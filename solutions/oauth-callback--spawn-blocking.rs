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
    // Everything that blocks, the lock and the file I/O under it, runs on tokio's
    // blocking pool. The guard lives and dies inside the closure, never across an await.
    let verifiers = Arc::clone(&app.verifiers);
    let state = callback.state.clone();
    let taken = tokio::task::spawn_blocking(move || {
        let mut file = verifiers.lock().unwrap();
        file.take(&state)
    })
    .await;
    let verifier = match taken {
        Ok(Ok(Some(verifier))) => verifier,
        Ok(Ok(None)) => {
            return Err((StatusCode::BAD_REQUEST, "unknown login attempt".into()));
        }
        Ok(Err(err)) => return Err((StatusCode::INTERNAL_SERVER_ERROR, err.to_string())),
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
