// # The hash that held everyone up
//
// Story: a registration service stores each user's password as a salted hash, which is
// deliberately slow to compute. The handler checks that the name is free, hashes the
// password and stores it, all under the lock of the user table, so that two people cannot
// take the same name. There is no `.await` in it at all, so it compiles.
//
// What is wrong: while a password is being hashed, no other request is served, not even
// a page that only reads the user table.
//
// What to do: hash on tokio's blocking pool, with no lock held, and still never give one
// name to two people. Only `register` needs to change.
//
// Book: "spawn_blocking" (src/fixes/spawn-blocking.md).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
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
    // Someone may have taken the name while we hashed: decide again, under the lock,
    // as we insert.
    match app.users.lock().unwrap().entry(form.name) {
        Entry::Occupied(_) => StatusCode::CONFLICT,
        Entry::Vacant(slot) => {
            slot.insert(hash);
            StatusCode::CREATED
        }
    }
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
