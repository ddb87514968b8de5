// Claim: in edition 2021, the temporaries of a block's tail expression live until the end
// of the statement around the block. The read guard below, made inside the braces, is
// therefore alive at the `.await` of the sleep, and `tokio::spawn` refuses the future.
// The same code compiles in edition 2024: proofs/compiles/edition-2024-tail-expression.rs.
//
// Book: "What edition 2024 changed" (src/traps/edition-2024.md).

use std::sync::{Arc, RwLock};
use std::time::Duration;

// The braces are the point: without them the guard is a temporary of the whole statement.
#[allow(unused_braces)]
async fn pause(delay: Arc<RwLock<Duration>>) {
    tokio::time::sleep({ *delay.read().unwrap() }).await;
}

#[tokio::main]
async fn main() {
    let delay = Arc::new(RwLock::new(Duration::from_millis(1)));
    tokio::spawn(pause(delay)).await.unwrap();
}
