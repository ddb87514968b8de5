//! The alerting service (exercise `alerts-arc-dyn-notifier`).
//!
//! Monitoring systems `POST /alerts` with a JSON body (`{"service": …, "severity": …,
//! "summary": …}`). Every alert goes to the team's chat; critical ones page the engineer on
//! call too. Which chat and which pager is configuration, chosen when the app starts, so
//! the app holds them as trait objects. This module offers the two services the app
//! talks to, [`Chat`] and [`Pager`]; each queues a message for delivery and returns at
//! once.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::harness::http::{self, Reply};
use crate::harness::{self, Failure, ensure};

/// The team's chat channel. Cheap to clone; every clone posts to the same channel.
#[derive(Debug, Clone, Default)]
pub struct Chat {
    posted: Arc<Mutex<Vec<String>>>,
}

impl Chat {
    /// Queues `text` for the channel.
    pub fn post(&self, text: &str) {
        if let Ok(mut posted) = self.posted.lock() {
            posted.push(text.to_owned());
        }
    }
}

/// The on-call pager. Cheap to clone; every clone pages the same rota.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pages: Arc<Mutex<Vec<String>>>,
}

impl Pager {
    /// Queues a page to whoever is on call.
    pub fn page(&self, text: &str) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.push(text.to_owned());
        }
    }
}

async fn raise(app: &Router, body: &str) -> Result<Reply, Failure> {
    let request = Request::post("/alerts")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .map_err(|err| Failure::new(format!("could not build a request: {err}")))?;
    http::send(app, request).await
}

/// Checks an alerting service and ends the process with the verdict.
///
/// `app` receives the chat and the pager and returns the router. `POST /alerts` answers
/// `202 Accepted`, posts every alert to the chat and pages only for `"critical"` ones;
/// each message names the service.
pub fn check(app: impl FnOnce(Chat, Pager) -> Router) -> ! {
    harness::run("alerting", async move {
        let (chat, pager) = (Chat::default(), Pager::default());
        let app = app(chat.clone(), pager.clone());
        let alerts = [
            r#"{"service": "checkout", "severity": "warning", "summary": "p99 latency 900 ms"}"#,
            r#"{"service": "payments", "severity": "critical", "summary": "error rate 40%"}"#,
            r#"{"service": "search", "severity": "info", "summary": "index rebuilt"}"#,
        ];
        for alert in alerts {
            let reply = raise(&app, alert).await?;
            ensure(reply.status == StatusCode::ACCEPTED, || {
                format!(
                    "POST /alerts answered {} {:?} instead of 202 Accepted",
                    reply.status, reply.body
                )
            })?;
        }
        let posted = chat.posted.lock().map(|p| p.clone()).unwrap_or_default();
        let pages = pager.pages.lock().map(|p| p.clone()).unwrap_or_default();
        ensure(posted.len() == alerts.len(), || {
            format!(
                "{} alerts came in, but the chat got {} messages: {posted:?}",
                alerts.len(),
                posted.len()
            )
        })?;
        for service in ["checkout", "payments", "search"] {
            ensure(posted.iter().any(|m| m.contains(service)), || {
                format!("no chat message names the service {service:?}: {posted:?}")
            })?;
        }
        ensure(pages.len() == 1 && pages[0].contains("payments"), || {
            format!("only the critical alert, for payments, should page; the pager got {pages:?}")
        })
    })
}
