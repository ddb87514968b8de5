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
    let mut users = app.users.lock().unwrap();
    if users.contains_key(&form.name) {
        return StatusCode::CONFLICT;
    }
    let hash = hash_password(&form.password);
    users.insert(form.name, hash);
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
