// # The span that followed the thread
//
// Story: an order service traces each request in a span carrying the order's id, so that
// the logs of one request can be told apart from the others'. The handler enters the span
// at the top, and everything it logs, and everything the database client logs, is meant
// to be in it. It compiles (the guard that `enter` returns is `Send`), and with one
// request at a time the traces look right.
//
// What is wrong: under load, events land in other requests' spans: the checker finds a
// database event of one order recorded in the span of another.
//
// What to do: keep every event of a request in that request's span, however requests
// interleave. Only the handler needs to change.
//
// Book: "tracing's span guards" (src/other/tracing-spans.md).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::spans::Orders;

// ANCHOR: handler
#[axum::debug_handler]
async fn order(State(orders): State<Orders>, Path(id): Path<String>) -> Result<String, StatusCode> {
    let span = tracing::info_span!("request", order = %id);
    let _entered = span.enter();
    tracing::info!("looking up the order");
    let order = orders.load(&id).await.ok_or(StatusCode::NOT_FOUND)?;
    tracing::info!(total_cents = order.total_cents, "found the order");
    Ok(order.summary())
}
// ANCHOR_END: handler

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks its traces. No need to change it.

fn app(orders: Orders) -> Router {
    Router::new()
        .route("/orders/{id}", get(order))
        .with_state(orders)
}

fn main() {
    checker::spans::check(app);
}
