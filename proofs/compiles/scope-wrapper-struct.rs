// Claim: wrapping the mutex in a type whose methods are not `async` makes it impossible to
// hold its guard across an `.await`: the guard cannot leave a synchronous method, so every
// async caller's future stays `Send`.
//
// Book: "End the guard's life before the await" (src/fixes/scope.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: wrapper
/// The route table. Callers never see a guard: each method locks, does its work and
/// returns owned data, so no caller can hold the lock while it waits for something.
#[derive(Clone, Default)]
struct RouteTable {
    routes: Arc<Mutex<HashMap<String, String>>>,
}

impl RouteTable {
    fn upstream(&self, service: &str) -> Option<String> {
        self.routes.lock().unwrap().get(service).cloned()
    }

    fn replace(&self, routes: HashMap<String, String>) {
        *self.routes.lock().unwrap() = routes;
    }
}

async fn handle(table: RouteTable, service: String) -> Option<String> {
    let upstream = table.upstream(&service)?;
    // Stands in for forwarding the request.
    tokio::time::sleep(Duration::from_millis(5)).await;
    Some(upstream)
}
// ANCHOR_END: wrapper

#[tokio::main]
async fn main() {
    let table = RouteTable::default();
    table.replace(HashMap::from([(
        "billing".to_owned(),
        "http://billing.internal".to_owned(),
    )]));
    // `tokio::spawn` demands a `Send` future: that this compiles is the proof.
    let upstream = tokio::spawn(handle(table, "billing".to_owned())).await;
    assert_eq!(
        upstream.ok().flatten().as_deref(),
        Some("http://billing.internal")
    );
}
