// # The lock that stayed poisoned
//
// Story: the session store of exercise `session-handler`, fixed and in production. Then a user whose
// session came from the old login system made `Session::touch` panic (a bug in the
// session library), and from that moment on every request to `/me` failed.
//
// What is wrong: a thread that panics while holding a std `Mutex` leaves it *poisoned*:
// every later `lock()` returns an error, and `.unwrap()` turns that into a panic in every
// request. One more `unwrap()` lets any client crash its own request (and poison the lock)
// with a made-up session id.
//
// What to do: answer 401 for a session that does not exist, and decide what a poisoned
// session store means for the requests after the panic, so that they keep working. The
// session library's bug is not yours to fix.
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
        // The id comes from the client: an unknown one is a 401, not a panic.
        let Some(session) = sessions.get_mut(&id) else {
            return Err(StatusCode::UNAUTHORIZED);
        };
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
