//! No lock: readers load the current table through `arc_swap::ArcSwap`, and a writer would
//! publish a whole new table. Nothing a reader holds can block anyone.

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use super::{Forwarded, Forwarder, ProxyError, RouteTable};

struct Proxy {
    routes: ArcSwap<RouteTable>,
    forwarder: Forwarder,
}

pub fn router(routes: RouteTable, forwarder: Forwarder) -> Router {
    let proxy = Proxy {
        routes: ArcSwap::from_pointee(routes),
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
    let route = proxy.routes.load().get(&service).cloned();
    let route = route.ok_or(ProxyError::UnknownService(service))?;
    Ok(proxy.forwarder.get(route).await?)
}
// ANCHOR_END: handle
