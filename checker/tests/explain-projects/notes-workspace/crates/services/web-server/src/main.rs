mod routes;

use std::sync::Arc;

use lib_core::model::ModelManager;
use lib_web::AppState;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let state = AppState {
        mm: ModelManager::default(),
        throttle: Arc::default(),
        pages: Arc::default(),
    };
    let app = routes::all(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    axum::serve(listener, app).await
}
