// # The connection that must be held
//
// Story: a signup service sends every new user a welcome mail. The mail relay allows the
// app one connection, and a connection carries one mail at a time, so the connection sits
// behind a mutex and each signup locks it to send its mail.
//
// What is wrong: it does not compile. The handler's future "cannot be sent between
// threads safely", yet the lock is never even given a name.
//
// What to do: make it compile, with every mail still sent over the one connection. This
// time, ending the guard's life before the `.await` is not an option: look at what the
// `.await` is waiting for.
//
// Book: "An async mutex" (src/fixes/async-mutex.md).

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use checker::mailer::SmtpConnection;

// ANCHOR: handler
#[derive(Clone)]
struct AppState {
    /// The app's one connection to the mail relay.
    smtp: Arc<Mutex<SmtpConnection>>,
}

#[axum::debug_handler]
async fn signup(
    State(app): State<AppState>,
    Path(user): Path<String>,
) -> Result<StatusCode, (StatusCode, String)> {
    let address = format!("{user}@example.com");
    app.smtp
        .lock()
        .unwrap()
        .send(&address, "Welcome")
        .await
        .map_err(|err| (StatusCode::BAD_GATEWAY, err.to_string()))?;
    Ok(StatusCode::CREATED)
}
// ANCHOR_END: handler

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(smtp: SmtpConnection) -> Router {
    let state = AppState {
        smtp: Arc::new(Mutex::new(smtp)),
    };
    Router::new()
        .route("/signup/{user}", post(signup))
        .route("/health", get(|| async { "ok" }))
        .with_state(state)
}

fn main() {
    checker::mailer::check(app);
}
