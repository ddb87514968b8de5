use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::get;

use crate::handlers::{books, health};
use crate::middleware::auth;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/books", get(books::list).post(books::create))
        .route("/books/random", get(books::random))
        .route("/books/{id}", get(books::show))
        .route_layer(from_fn_with_state(state.clone(), auth::require_key));
    Router::new()
        .route("/health", get(health::check))
        .nest("/api", api)
        .with_state(state)
}
