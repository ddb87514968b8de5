//! The proxy's outgoing call: one GET to the downstream, over pooled keep-alive connections.
//! This is the `.await` that the story's lock is (or is not) held across.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// A cloneable HTTP client; clones share one connection pool.
#[derive(Clone)]
pub struct Forwarder {
    client: Client<HttpConnector, Empty<Bytes>>,
}

impl Default for Forwarder {
    fn default() -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(connector);
        Self { client }
    }
}

impl Forwarder {
    /// Sends `GET uri` and collects the whole answer.
    pub async fn get(&self, uri: Uri) -> Result<Forwarded, ForwardError> {
        let response = self
            .client
            .get(uri)
            .await
            .map_err(|err| ForwardError(format!("downstream unreachable: {err}")))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|err| ForwardError(format!("downstream answer broke off: {err}")))?
            .to_bytes();
        Ok(Forwarded { status, body })
    }
}

/// The downstream's answer, passed on to the proxy's client as it came.
pub struct Forwarded {
    status: StatusCode,
    body: Bytes,
}

impl IntoResponse for Forwarded {
    fn into_response(self) -> Response {
        (self.status, self.body).into_response()
    }
}

/// The downstream could not be reached: the proxy answers 502 Bad Gateway.
#[derive(Debug)]
pub struct ForwardError(String);

impl IntoResponse for ForwardError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_GATEWAY, self.0).into_response()
    }
}
