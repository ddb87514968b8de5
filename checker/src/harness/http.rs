//! Sends requests to an axum `Router` in memory, the way a client would, without a socket.
//!
//! `tower::ServiceExt::oneshot` calls the router as a service, so a check exercises the real
//! routing, extractors and handler, and runs under the harness's paused clock.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::harness::Failure;

/// What came back from one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: StatusCode,
    pub body: String,
}

/// Sends `GET uri` to `app` and collects the whole reply.
pub async fn get(app: &Router, uri: &str) -> Result<Reply, Failure> {
    let request = Request::get(uri)
        .body(Body::empty())
        .map_err(|err| Failure::new(format!("could not build a request for {uri}: {err}")))?;
    send(app, request).await
}

/// Sends `request` to `app` and collects the whole reply.
pub async fn send(app: &Router, request: Request<Body>) -> Result<Reply, Failure> {
    let uri = request.uri().clone();
    let response = match app.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|err| Failure::new(format!("the reply to {uri} broke off: {err}")))?
        .to_bytes();
    Ok(Reply {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
