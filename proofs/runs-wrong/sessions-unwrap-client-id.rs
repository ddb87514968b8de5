// Claim: handling the `PoisonError` is half of exercise 26. A handler that recovers the
// poisoned lock but still unwraps the lookup of a client's session id survives mallory's
// panic, and then panics on any made-up id: the client gets a 500 instead of a 401 (and,
// without the recovery, would poison the lock for everyone).
//
// Verdict: never unwrap a lookup of it
//
// Book: "Poisoning and unwrap" (src/traps/poisoning.md).

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
async fn me(State(app): State<AppState>, SessionId(id): SessionId) -> Result<String, StatusCode> {
    let user = {
        // A poisoned lock means a request panicked while holding it. Every change made
        // under this lock is a single `touch` or `remove`, which leaves the map whole, so
        // the sessions are still good: take them back and clear the mark.
        let mut sessions = app.sessions.lock().unwrap_or_else(|poisoned| {
            app.sessions.clear_poison();
            poisoned.into_inner()
        });
        let session = sessions.get_mut(&id).unwrap();
        if !session.touch(Instant::now()) {
            sessions.remove(&id);
            return Err(StatusCode::UNAUTHORIZED);
        }
        session.user().to_owned()
    };

    app.profiles
        .display_name(&user)
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)
}
// ANCHOR_END: handler

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(sessions: Sessions, profiles: Profiles) -> Router {
    let state = AppState {
        sessions: Arc::new(Mutex::new(sessions)),
        profiles,
    };
    Router::new().route("/me", get(me)).with_state(state)
}

fn main() {
    checker::sessions::check_after_panic(app);
}
