use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use lib_web::AppState;
use lib_web::handlers::handlers_notes;
use lib_web::mw_auth::mw_ctx_require;

pub fn all(state: AppState) -> Router {
    Router::new()
        .route("/api/notes", post(handlers_notes::create_note))
        .route("/api/notes/{id}", get(handlers_notes::get_note))
        .route("/api/notes/{id}/page", get(handlers_notes::get_note_page))
        .layer(middleware::from_fn(mw_ctx_require))
        .with_state(state)
}
