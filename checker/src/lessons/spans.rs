//! Request spans in an order service (exercise 21).
//!
//! Each request for an order should be traced in a span named `request` with the order's
//! id in a field `order`, so that every event logged while serving it, the handler's own
//! and the database client's, can be told apart from those of other requests. The check
//! installs a subscriber that records, for every event, the `order` of the span it was
//! logged in.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use futures::future::join_all;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use crate::harness::http;
use crate::harness::{self, Failure, ensure};

/// How long the database takes to load an order.
pub const DB_LATENCY: Duration = Duration::from_millis(50);

/// The target of the events the database client logs.
const DB_TARGET: &str = "checker::spans::db";

/// An order as the database has it.
#[derive(Debug, Clone)]
pub struct Order {
    pub id: String,
    pub total_cents: u64,
}

impl Order {
    /// The order as the page shows it.
    pub fn summary(&self) -> String {
        let (units, cents) = (self.total_cents / 100, self.total_cents % 100);
        format!("order {}: {units}.{cents:02}", self.id)
    }
}

fn summary(id: &str) -> String {
    format!("order {id}: 19.99")
}

/// The orders database. Simulated: a load takes [`DB_LATENCY`], and the client logs an
/// event (with the order's id in a field `order`) when it sends the query and another
/// when the rows come back. Every order id made of digits exists.
#[derive(Clone, Debug, Default)]
pub struct Orders;

impl Orders {
    /// Loads order `id`.
    pub async fn load(&self, id: &str) -> Option<Order> {
        tracing::info!(target: DB_TARGET, order = id, "query sent");
        tokio::time::sleep(DB_LATENCY).await;
        tracing::info!(target: DB_TARGET, order = id, "rows received");
        let exists = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
        exists.then(|| Order {
            id: id.to_owned(),
            total_cents: 1999,
        })
    }
}

/// One event, as the recorder saw it.
#[derive(Debug, Clone)]
struct Recorded {
    message: String,
    from_db: bool,
    /// The `order` field of the event itself (the database client's events have one).
    order: Option<String>,
    /// The `order` field of the innermost `request` span the event was logged in.
    span_order: Option<String>,
}

/// A `tracing` layer that keeps every event at INFO or above, with the span it was in.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<Recorded>>>,
}

/// The `order` field of a span, kept in the span's extensions.
struct OrderField(String);

#[derive(Default)]
struct Fields {
    message: Option<String>,
    order: Option<String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.record(field, format!("{value:?}"));
    }
}

impl Fields {
    fn record(&mut self, field: &Field, value: String) {
        match field.name() {
            "message" => self.message = Some(value),
            "order" => self.order = Some(value.trim_matches('"').to_owned()),
            _ => {}
        }
    }
}

impl<S> Layer<S> for Recorder
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let (Some(order), Some(span)) = (fields.order, ctx.span(id)) {
            span.extensions_mut().insert(OrderField(order));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if *event.metadata().level() > tracing::Level::INFO {
            return;
        }
        let target = event.metadata().target();
        if ["axum", "tower", "hyper"]
            .iter()
            .any(|t| target.starts_with(t))
        {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let span_order = ctx.event_scope(event).and_then(|scope| {
            scope
                .filter(|span| span.name() == "request")
                .find_map(|span| span.extensions().get::<OrderField>().map(|o| o.0.clone()))
        });
        if let Ok(mut events) = self.events.lock() {
            events.push(Recorded {
                message: fields.message.unwrap_or_default(),
                from_db: target == DB_TARGET,
                order: fields.order,
                span_order,
            });
        }
    }
}

/// How many orders are requested at once.
pub const CONCURRENT_ORDERS: usize = 4;

/// Checks an order service's tracing, and ends the process with the verdict.
///
/// `app` receives the orders database and returns the router. It must route
/// `GET /orders/{id}`, which answers the order's summary (or 404), and trace each request
/// in a span named `request` with a field `order` holding the id; every event logged while
/// the request is served must be in that span.
pub fn check(app: impl FnOnce(Orders) -> Router) -> ! {
    let recorder = Recorder::default();
    let events = Arc::clone(&recorder.events);
    let subscriber = tracing_subscriber::registry().with(recorder);
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        harness::run("request spans", async {
            Err(Failure::new(
                "another tracing subscriber was already installed",
            ))
        });
    }
    harness::run("request spans", async move {
        let app = app(Orders);
        let app = &app;

        // One request alone, then several at once, as under load.
        let reply = http::get(app, "/orders/1").await?;
        ensure(
            reply.status == StatusCode::OK && reply.body == summary("1"),
            || {
                format!(
                    "GET /orders/1 should answer {:?}, but got {} {:?}",
                    summary("1"),
                    reply.status,
                    reply.body
                )
            },
        )?;
        let requests = (0..CONCURRENT_ORDERS).map(|i| async move {
            let id = format!("{}", 100 + i);
            let reply = http::get(app, &format!("/orders/{id}")).await?;
            ensure(
                reply.status == StatusCode::OK && reply.body == summary(&id),
                || format!("GET /orders/{id} got {} {:?}", reply.status, reply.body),
            )
        });
        join_all(requests)
            .await
            .into_iter()
            .collect::<Result<Vec<()>, Failure>>()?;
        let reply = http::get(app, "/orders/unknown").await?;
        ensure(reply.status == StatusCode::NOT_FOUND, || {
            format!(
                "an order that does not exist should be a 404, but got {}",
                reply.status
            )
        })?;

        let events = events.lock().map(|e| e.clone()).unwrap_or_default();
        let db_events = events.iter().filter(|e| e.from_db).count();
        ensure(db_events == 2 * (CONCURRENT_ORDERS + 2), || {
            format!(
                "the database client should have logged two events per request, but logged {db_events}"
            )
        })?;
        for event in &events {
            if event.from_db {
                let order = event.order.as_deref().unwrap_or("?");
                ensure(
                    event.span_order.as_deref() == Some(order),
                    || match &event.span_order {
                        Some(other) => format!(
                            "the event {:?} of order {order} was logged in the span of order {other}: \
                         a span entered with `span.enter()` stays entered on the thread while the \
                         request is suspended at an `.await`, and other requests' events land in it",
                            event.message
                        ),
                        None => format!(
                            "the event {:?} of order {order} was logged outside any request span",
                            event.message
                        ),
                    },
                )?;
            } else {
                ensure(event.span_order.is_some(), || {
                    format!(
                        "the handler's event {:?} was logged outside any request span",
                        event.message
                    )
                })?;
            }
        }
        ensure(events.iter().any(|e| !e.from_db), || {
            "the handler should log its own events too (it did not log any)".into()
        })
    })
}
