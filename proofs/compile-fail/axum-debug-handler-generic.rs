// Claim: `#[axum::debug_handler]` refuses a generic handler. axum-macros 0.5.1 reports
// "`#[axum_macros::debug_handler]` doesn't support generic functions" and checks nothing
// else about it, so when the handler's future is not `Send` (here a std guard is alive
// across a sleep), the only other error is axum's vague `Handler<_, _>` one at `get(..)`.
// What to do instead is in proofs/compile-fail/axum-generic-assert-send.rs.
//
// Book: "axum's Handler error" (src/understanding/axum-handler.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::routing::get;

// ANCHOR: handler
trait Store: Clone + Send + Sync + 'static {
    fn visits(&self) -> &Mutex<u64>;
}

#[axum::debug_handler]
async fn visit<S: Store>(State(store): State<S>) -> String {
    let mut visits = store.visits().lock().unwrap();
    *visits += 1;
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("visit number {visits}")
}
// ANCHOR_END: handler

#[derive(Clone)]
struct Memory(Arc<Mutex<u64>>);

impl Store for Memory {
    fn visits(&self) -> &Mutex<u64> {
        &self.0
    }
}

fn main() {
    let store = Memory(Arc::new(Mutex::new(0)));
    let app: Router = Router::new()
        .route("/visit", get(visit::<Memory>))
        .with_state(store);
    drop(app);
}
