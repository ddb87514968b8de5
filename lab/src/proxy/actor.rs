//! One task owns the route table and answers lookups sent over a channel; handlers hold no
//! lock at all, only a sender. The owner stops by itself when the last sender is dropped,
//! that is, when the server that holds the router is gone.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::get;
use tokio::sync::{mpsc, oneshot};

use super::{Forwarded, Forwarder, ProxyError, RouteTable};

/// Enough room that a burst of lookups never waits for space in the queue.
const QUEUE: usize = 1024;

struct Lookup {
    service: String,
    reply: oneshot::Sender<Option<Uri>>,
}

struct Proxy {
    lookups: mpsc::Sender<Lookup>,
    forwarder: Forwarder,
}

pub fn router(routes: RouteTable, forwarder: Forwarder) -> Router {
    let (lookups, mut queue) = mpsc::channel::<Lookup>(QUEUE);
    tokio::spawn(async move {
        while let Some(lookup) = queue.recv().await {
            // The asker may have gone away (its client hung up); nobody to tell.
            let _ = lookup.reply.send(routes.get(&lookup.service).cloned());
        }
    });
    let proxy = Proxy { lookups, forwarder };
    Router::new()
        .route("/{service}", get(handle))
        .with_state(Arc::new(proxy))
}

// ANCHOR: handle
async fn handle(
    State(proxy): State<Arc<Proxy>>,
    Path(service): Path<String>,
) -> Result<Forwarded, ProxyError> {
    let (reply, answer) = oneshot::channel();
    let lookup = Lookup {
        service: service.clone(),
        reply,
    };
    // Either side of the channel fails only if the owner task has stopped.
    proxy
        .lookups
        .send(lookup)
        .await
        .map_err(|_| ProxyError::TableUnavailable)?;
    let route = answer.await.map_err(|_| ProxyError::TableUnavailable)?;
    let route = route.ok_or(ProxyError::UnknownService(service))?;
    Ok(proxy.forwarder.get(route).await?)
}
// ANCHOR_END: handle
