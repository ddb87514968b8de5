//! Bookshelf: a tiny catalogue of books behind an HTTP API.

mod db;
mod error;
mod handlers;
mod middleware;
mod routes;
mod state;

use state::AppState;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let state = AppState::new("catalogue");
    let app = routes::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    axum::serve(listener, app).await
}
