// Claim: the handler of exercise 07, with `#[axum::debug_handler]` above it. Without the
// attribute axum can only say that `me` is not a `Handler`; with it, the compiler also
// says why: the future returned by `me` is not `Send`, because the `MutexGuard` named
// `sessions` is alive across the profile service's `.await`.
//
// Book: "axum's Handler error" (src/understanding/axum-handler.md).

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use checker::sessions::{Profiles, SessionId, Sessions};
use tokio::time::Instant;

// ANCHOR: state
#[derive(Clone)]
struct AppState {
    sessions: Arc<Mutex<Sessions>>,
    profiles: Profiles,
}
// ANCHOR_END: state

// ANCHOR: handler
#[axum::debug_handler]
async fn me(State(app): State<AppState>, SessionId(id): SessionId) -> Result<String, StatusCode> {
    let mut sessions = app.sessions.lock().unwrap();
    let Some(session) = sessions.get_mut(&id) else {
        return Err(StatusCode::UNAUTHORIZED);
    };
    if !session.touch(Instant::now()) {
        sessions.remove(&id);
        return Err(StatusCode::UNAUTHORIZED);
    }

    app.profiles
        .display_name(session.user())
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)
}
// ANCHOR_END: handler

fn app(sessions: Sessions, profiles: Profiles) -> Router {
    let state = AppState {
        sessions: Arc::new(Mutex::new(sessions)),
        profiles,
    };
    Router::new().route("/me", get(me)).with_state(state)
}

fn main() {
    checker::sessions::check(app);
}
