// Claim: `span.enter()` returns a guard that is `Send`, so a future that holds it across
// an `.await` can be spawned: the compiler does not object, whatever the traces look like
// afterwards (exercise 21 shows what they look like).
//
// Book: "tracing's span guards" (src/other/tracing-spans.md).

use std::time::Duration;

// The point of this file is what clippy's `await_holding_invalid_type` can be configured to
// catch: an `Entered` guard alive across an `.await`.
#[allow(clippy::await_holding_invalid_type)]
// ANCHOR: load_order
async fn load_order(id: u32) {
    let span = tracing::info_span!("request", order = id);
    let _entered = span.enter();
    tracing::info!("looking up the order");
    tokio::time::sleep(Duration::from_millis(50)).await;
    tracing::info!("found the order");
}
// ANCHOR_END: load_order

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // `tokio::spawn` demands a `Send` future: that this compiles is the proof.
    // ANCHOR: spawn
    let _ = tokio::spawn(load_order(7)).await;
    // ANCHOR_END: spawn
}
