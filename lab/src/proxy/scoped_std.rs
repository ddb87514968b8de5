//! Act three of the story: back to std's `Mutex`, with the guard confined to a block that
//! ends before the `.await`. The lock is held for a hash lookup and a clone, not for the
//! downstream call, so requests overlap.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

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
    let route = {
        // Nothing panics while this guard is alive, so a poisoned lock still holds a whole
        // table: take it rather than fail every later request.
        let routes = proxy.routes.lock().unwrap_or_else(PoisonError::into_inner);
        routes.get(&service).cloned()
    }; // the guard dies here, before the `.await`
    let route = route.ok_or(ProxyError::UnknownService(service))?;
    Ok(proxy.forwarder.get(route).await?)
}
// ANCHOR_END: handle
