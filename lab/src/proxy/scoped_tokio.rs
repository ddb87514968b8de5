//! A tokio `Mutex`, but used like the std one: the guard ends before the downstream call.
//! This isolates the cost of the lock type from the cost of what the lock is held across.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use tokio::sync::Mutex;

use super::{Forwarded, Forwarder, ProxyError, RouteTable};

struct Proxy {
    routes: Mutex<RouteTable>,
    forwarder: Forwarder,
}

pub fn router(routes: RouteTable, forwarder: Forwarder) -> Router {
    let proxy = Proxy {
        routes: Mutex::new(routes),
        forwarder,
    };
    Router::new()
        .route("/{service}", get(handle))
        .with_state(Arc::new(proxy))
}

// ANCHOR: handle
async fn handle(
    State(proxy): State<Arc<Proxy>>,
    Path(service): Path<String>,
) -> Result<Forwarded, ProxyError> {
    let route = proxy.routes.lock().await.get(&service).cloned(); // guard dies at the `;`
    let route = route.ok_or(ProxyError::UnknownService(service))?;
    Ok(proxy.forwarder.get(route).await?)
}
// ANCHOR_END: handle
