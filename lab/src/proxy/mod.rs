//! The story's proxy: it looks up a route in shared state, then forwards the request to the
//! downstream. The six variants differ only in how the route table is shared, and in whether
//! the lock is still held while the downstream call is awaited.

mod actor;
mod arc_swap;
mod forward;
mod held_tokio;
mod scoped_rwlock;
mod scoped_std;
mod scoped_tokio;

use std::collections::HashMap;
use std::fmt;

use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use clap::ValueEnum;
use serde::{Deserialize, Serialize};

pub use forward::{ForwardError, Forwarded, Forwarder};

/// Service name (the first path segment of a request to the proxy) to downstream address.
pub type RouteTable = HashMap<String, Uri>;

/// How the proxy shares its route table.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// tokio `Mutex`, guard held across the downstream call (the story's act two).
    HeldTokio,
    /// std `Mutex`, guard confined to a block that ends before the `.await`.
    ScopedStd,
    /// tokio `Mutex`, guard confined to a block that ends before the `.await`.
    ScopedTokio,
    /// std `RwLock`, read guard confined to a block.
    ScopedRwlock,
    /// `arc_swap::ArcSwap`: readers load a snapshot, no lock at all.
    ArcSwap,
    /// One task owns the table; handlers ask it over a channel.
    Actor,
}

impl Variant {
    pub const ALL: [Variant; 6] = [
        Variant::HeldTokio,
        Variant::ScopedStd,
        Variant::ScopedTokio,
        Variant::ScopedRwlock,
        Variant::ArcSwap,
        Variant::Actor,
    ];

    /// Whether every request waits for the one before it to finish its downstream call.
    pub fn serialises_downstream_calls(self) -> bool {
        self == Variant::HeldTokio
    }

    /// The name used on the command line, in results and in charts.
    pub fn name(self) -> &'static str {
        match self {
            Variant::HeldTokio => "held-tokio",
            Variant::ScopedStd => "scoped-std",
            Variant::ScopedTokio => "scoped-tokio",
            Variant::ScopedRwlock => "scoped-rwlock",
            Variant::ArcSwap => "arc-swap",
            Variant::Actor => "actor",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The proxy's routes: `GET /{service}`, forwarded to `routes[service]`.
///
/// Needs a running tokio runtime: the actor variant spawns the task that owns the table.
pub fn router(variant: Variant, routes: RouteTable, forwarder: Forwarder) -> Router {
    match variant {
        Variant::HeldTokio => held_tokio::router(routes, forwarder),
        Variant::ScopedStd => scoped_std::router(routes, forwarder),
        Variant::ScopedTokio => scoped_tokio::router(routes, forwarder),
        Variant::ScopedRwlock => scoped_rwlock::router(routes, forwarder),
        Variant::ArcSwap => arc_swap::router(routes, forwarder),
        Variant::Actor => actor::router(routes, forwarder),
    }
}

/// Why the proxy could not pass an answer on.
#[derive(Debug)]
pub enum ProxyError {
    UnknownService(String),
    /// The actor variant's table owner has stopped.
    TableUnavailable,
    Downstream(ForwardError),
}

impl From<ForwardError> for ProxyError {
    fn from(err: ForwardError) -> Self {
        ProxyError::Downstream(err)
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        match self {
            ProxyError::UnknownService(service) => {
                (StatusCode::NOT_FOUND, format!("no route for {service}")).into_response()
            }
            ProxyError::TableUnavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "route table unavailable").into_response()
            }
            ProxyError::Downstream(err) => err.into_response(),
        }
    }
}
