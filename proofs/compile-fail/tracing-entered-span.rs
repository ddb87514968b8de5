// Claim: tracing has two span guards, and only one of them is `Send`. `span.enter()`
// borrows the span and returns an `Entered`, which is `Send`: holding it across an
// `.await` compiles (and goes wrong at run time, exercise 21). `span.entered()` takes the
// span by value and returns an `EnteredSpan`, which is not `Send`: the same mistake with
// it does not compile.
//
// Book: "tracing's span guards" (src/other/tracing-spans.md).

use std::time::Duration;

// ANCHOR: load_order
async fn load_order(id: u32) {
    let _entered = tracing::info_span!("request", order = id).entered();
    tracing::info!("looking up the order");
    tokio::time::sleep(Duration::from_millis(50)).await;
    tracing::info!("found the order");
}
// ANCHOR_END: load_order

#[tokio::main]
async fn main() {
    let _ = tokio::spawn(load_order(7)).await;
}
