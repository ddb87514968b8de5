//! Act two of the story: a tokio `Mutex` made the compiler error go away, and its guard is
//! still alive while the downstream call is awaited. Correct, and every request now waits
//! for the previous one's downstream call: throughput is one request per downstream latency.

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
    let routes = proxy.routes.lock().await;
    let Some(route) = routes.get(&service) else {
        return Err(ProxyError::UnknownService(service));
    };
    // `routes` is alive until the end of the function: the lock is held for the whole call.
    Ok(proxy.forwarder.get(route.clone()).await?)
}
// ANCHOR_END: handle
