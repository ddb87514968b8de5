// Claim: the `Guard` that `ArcSwap::load()` returns is `Send` (arc-swap 1.9), so holding it
// across an `.await` in a spawned task compiles. arc-swap's documentation still asks you
// not to: each thread has only a few cheap guard slots, and guards are meant for short,
// local use. `load_full()` returns a plain `Arc`, made to be kept.
//
// Book: "Read-mostly data: RwLock and arc-swap" (src/beyond/read-mostly.md).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;

type Routes = HashMap<String, String>;

// ANCHOR: guard
async fn upstream_for(routes: Arc<ArcSwap<Routes>>, service: String) -> String {
    let table = routes.load(); // a `Guard<Arc<…>>`, not an `Arc`
    tokio::time::sleep(Duration::from_millis(1)).await;
    table.get(&service).cloned().unwrap_or_default()
}
// ANCHOR_END: guard

#[tokio::main]
async fn main() {
    let routes = Arc::new(ArcSwap::from_pointee(HashMap::from([(
        "billing".to_owned(),
        "http://billing.internal".to_owned(),
    )])));
    // `tokio::spawn` demands a `Send` future: that this compiles is the proof.
    let upstream = tokio::spawn(upstream_for(routes, "billing".to_owned()))
        .await
        .unwrap();
    assert_eq!(upstream, "http://billing.internal");
}
