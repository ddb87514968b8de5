// Claim: with `tracing::span::Entered` listed in clippy.toml's
// `await-holding-invalid-types`, `await_holding_invalid_type` warns about a span entered
// across an `.await`, which the compiler accepts (`Entered` is `Send`) and which gives
// wrong traces. The note is the reason written in clippy.toml.
//
// Book: "Let clippy warn you" (src/traps/clippy.md).

use std::time::Duration;

use tracing::Instrument;

async fn charge(_order: u64) {
    tokio::time::sleep(Duration::from_millis(10)).await;
}

// ANCHOR: held
pub async fn place_order(order: u64) {
    let span = tracing::info_span!("order", order);
    // warns on the next line: clippy::await_holding_invalid_type
    let _entered = span.enter();
    charge(order).await;
}
// ANCHOR_END: held

// ANCHOR: fixed
pub async fn place_order_fixed(order: u64) {
    let span = tracing::info_span!("order", order);
    charge(order).instrument(span).await;
}
// ANCHOR_END: fixed
