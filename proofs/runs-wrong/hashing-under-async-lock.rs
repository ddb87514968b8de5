// Claim: moving the hash of exercise 25 to `spawn_blocking` while keeping the table
// locked across it (easy with tokio's mutex, whose guard may cross the `.await`) frees the
// runtime's thread but not the table: a request that only reads a user's page waits
// until the hash is done.
//
// Verdict: is a lock that other requests need held while the password is hashed
//
// Book: "spawn_blocking" (src/fixes/spawn-blocking.md).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Json, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use checker::accounts::{PasswordHash, hash_password};
use serde::Deserialize;
use tokio::sync::Mutex;

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
    // tokio's guard may be held across the `.await`, so the whole registration stays
    // under the lock, and the hash runs on the blocking pool.
    let mut users = app.users.lock().await;
    if users.contains_key(&form.name) {
        return StatusCode::CONFLICT;
    }
    let password = form.password;
    let Ok(hash) = tokio::task::spawn_blocking(move || hash_password(&password)).await else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    users.insert(form.name, hash);
    StatusCode::CREATED
}

async fn user(State(app): State<AppState>, Path(name): Path<String>) -> Result<String, StatusCode> {
    let users = app.users.lock().await;
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
