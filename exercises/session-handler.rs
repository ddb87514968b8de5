// # The handler axum would not take
//
// Story: a web app keeps its users' sessions in memory. `GET /me` finds the request's
// session, marks it as used (a session left unused for too long expires), and answers with
// the user's display name from the profile service.
//
// What is wrong: it does not compile. This time the error does not say "future cannot be
// sent between threads safely": it says that `me` is not a `Handler`.
//
// What to do: find out what axum dislikes about `me` (the error suggests a way to ask),
// then fix it without changing what the handler does.
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
    checker::sessions::check(app);
}
