//! The route table is read on every request and written rarely: std's `RwLock` lets the
//! readers in together. The read guard still ends before the `.await`.

use std::sync::{Arc, PoisonError, RwLock};

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use super::{Forwarded, Forwarder, ProxyError, RouteTable};

struct Proxy {
    routes: RwLock<RouteTable>,
    forwarder: Forwarder,
}

pub fn router(routes: RouteTable, forwarder: Forwarder) -> Router {
    let proxy = Proxy {
        routes: RwLock::new(routes),
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
    let route = {
        // Readers never leave the table half-written, so poisoning carries no news here.
        let routes = proxy.routes.read().unwrap_or_else(PoisonError::into_inner);
        routes.get(&service).cloned()
    };
    let route = route.ok_or(ProxyError::UnknownService(service))?;
    Ok(proxy.forwarder.get(route).await?)
}
// ANCHOR_END: handle
