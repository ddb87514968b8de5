// Claim: in edition 2024, a guard made in a block's tail expression dies at the end of the
// block, so a block passed as an argument no longer keeps its guard alive through the
// `.await` of the call around it. The same code fails in edition 2021:
// proofs/edition2021/cases/edition-2024-tail-expression.rs.
//
// Book: "What edition 2024 changed" (src/traps/edition-2024.md).

use std::sync::{Arc, RwLock};
use std::time::Duration;

// ANCHOR: pause
// The braces are the point: without them the guard is a temporary of the whole statement.
#[allow(unused_braces)]
async fn pause(delay: Arc<RwLock<Duration>>) {
    tokio::time::sleep({ *delay.read().unwrap() }).await;
}
// ANCHOR_END: pause

#[tokio::main]
async fn main() {
    let delay = Arc::new(RwLock::new(Duration::from_millis(1)));
    tokio::spawn(pause(delay)).await.unwrap();
}
