// Claim: once the lock is let go of during the hash (exercise 25), the name has to be
// checked again as it is inserted. Without that second check, two registrations of the
// same name at once both pass the first check, both hash, and both get 201: the second
// silently replaces the first one's password.
//
// Verdict: exactly one should get the name
//
// Book: "spawn_blocking" (src/fixes/spawn-blocking.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Json, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use checker::accounts::{PasswordHash, hash_password};
use serde::Deserialize;

// ANCHOR: handlers
#[derive(Clone, Default)]
struct AppState {
    /// Every user's password hash, by name.
    users: Arc<Mutex<HashMap<String, PasswordHash>>>,
}

#[derive(Deserialize)]
struct Registration {
    name: String,
    password: String,
}

#[axum::debug_handler]
async fn register(State(app): State<AppState>, Json(form): Json<Registration>) -> StatusCode {
    // Refuse a taken name before spending a hash on it.
    if app.users.lock().unwrap().contains_key(&form.name) {
        return StatusCode::CONFLICT;
    }
    // Hashing is slow, blocking CPU work: do it on the blocking pool, with no lock held,
    // so that the runtime's threads and the user table stay free for other requests.
    let password = form.password;
    let Ok(hash) = tokio::task::spawn_blocking(move || hash_password(&password)).await else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    app.users.lock().unwrap().insert(form.name, hash);
    StatusCode::CREATED
}

async fn user(State(app): State<AppState>, Path(name): Path<String>) -> Result<String, StatusCode> {
    let users = app.users.lock().unwrap();
    let hash = users.get(&name).ok_or(StatusCode::NOT_FOUND)?;
    Ok(hash.to_string())
}
// ANCHOR_END: handlers

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app() -> Router {
    Router::new()
        .route("/register", post(register))
        .route("/users/{name}", get(user))
        .with_state(AppState::default())
}

fn main() {
    checker::accounts::check(app);
}
