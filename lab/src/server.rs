//! Starting and stopping the lab's HTTP servers.
//!
//! Every server binds `127.0.0.1` on a port the operating system picks, so runs never collide
//! with each other or with anything else on the machine, and nothing listens beyond loopback.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// An axum server running in the background until [`RunningServer::stop`].
pub struct RunningServer {
    addr: SocketAddr,
    shutdown: CancellationToken,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Serves `app` on `127.0.0.1:<ephemeral port>`.
    pub async fn start(app: Router) -> Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .context("could not bind a loopback port")?;
        let addr = listener
            .local_addr()
            .context("the bound socket has no address")?;
        // Small request/response exchanges: Nagle's algorithm would only add delay.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let shutdown = CancellationToken::new();
        let signal = shutdown.clone().cancelled_owned();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await
        });
        Ok(Self {
            addr,
            shutdown,
            task,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` followed by `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops accepting connections, lets requests in flight finish for up to `grace`, then
    /// abandons whatever is left. Returns whether the shutdown was graceful.
    ///
    /// The bound matters for the held-lock variant: requests queued behind the lock can take
    /// concurrency × latency to drain, and a run must end on time.
    pub async fn stop(self, grace: Duration) -> bool {
        self.shutdown.cancel();
        let mut task = self.task;
        match tokio::time::timeout(grace, &mut task).await {
            Ok(_) => true,
            Err(_) => {
                task.abort();
                false
            }
        }
    }
}
