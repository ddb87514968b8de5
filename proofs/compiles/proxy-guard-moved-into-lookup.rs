// Claim: the other side of the drop trap. A guard that is *moved* before the `.await`,
// here handed by value to a function that consumes it, is not held by the future, because
// the variable was never borrowed. `tokio::spawn` accepts the future.
//
// Book: "Act three: back to std, and a drop that did not help" (src/story/proxy-act-3.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

type Routes = HashMap<String, String>;

/// Takes the guard by value: the lock is released when this function returns.
fn upstream_for(routes: MutexGuard<'_, Routes>, service: &str) -> Option<String> {
    routes.get(service).cloned()
}

async fn handle(routes: Arc<Mutex<Routes>>, service: String) -> Option<String> {
    let table = routes.lock().unwrap();
    let upstream = upstream_for(table, &service);
    // Stands in for forwarding the request upstream.
    tokio::time::sleep(Duration::from_millis(20)).await;
    upstream
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let routes = Arc::new(Mutex::new(Routes::from([(
        "billing".to_owned(),
        "http://billing.internal".to_owned(),
    )])));
    // `tokio::spawn` demands a `Send` future: that this compiles is the proof.
    let upstream = tokio::spawn(handle(routes, "billing".to_owned())).await;
    assert_eq!(
        upstream.ok().flatten().as_deref(),
        Some("http://billing.internal")
    );
}
