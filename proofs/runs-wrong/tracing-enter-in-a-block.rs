// Claim: keeping `span.enter()` away from the `.await` (in a block around the synchronous
// part) avoids the leak of exercise 21, but the span is then entered only while that block
// runs. The database client's events, logged while `orders.load(&id).await` is polled,
// land in no request span at all. A span must be entered whenever the request's future is
// polled, which is what `.instrument(span)` does.
//
// Verdict: was logged outside any request span
//
// Book: "tracing's span guards" (src/other/tracing-spans.md).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::spans::Orders;

// ANCHOR: handler
async fn order(State(orders): State<Orders>, Path(id): Path<String>) -> Result<String, StatusCode> {
    let span = tracing::info_span!("request", order = %id);
    {
        let _entered = span.enter();
        tracing::info!("looking up the order");
    } // the span is exited here, before the `.await`
    let order = orders.load(&id).await.ok_or(StatusCode::NOT_FOUND)?;
    let total_cents = order.total_cents;
    span.in_scope(|| tracing::info!(total_cents, "found the order"));
    Ok(order.summary())
}
// ANCHOR_END: handler

fn app(orders: Orders) -> Router {
    Router::new()
        .route("/orders/{id}", get(order))
        .with_state(orders)
}

fn main() {
    checker::spans::check(app);
}
