// Claim: clippy says nothing about a tokio `MutexGuard` held across an `.await`. Holding
// it there is what tokio's mutex is for, so no lint can tell a connection that must stay
// locked from a lookup that should have let go long before: that is for you to decide
// (the proxy's act two, src/story/proxy-act-2.md).
//
// Book: "Let clippy warn you" (src/traps/clippy.md).

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::Mutex;

async fn forward(_upstream: &str) {
    tokio::time::sleep(Duration::from_millis(20)).await;
}

// ANCHOR: silent
pub async fn handle(routes: &Mutex<HashMap<String, String>>, service: &str) {
    let routes = routes.lock().await;
    if let Some(upstream) = routes.get(service) {
        forward(upstream).await;
    }
}
// ANCHOR_END: silent
