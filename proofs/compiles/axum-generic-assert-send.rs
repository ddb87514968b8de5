// Claim: the generic handler of proofs/compile-fail/axum-generic-assert-send.rs, with the
// guard's life ended in a block before the sleep, passes the same compile-time check
// (`visit_is_send`), and axum accepts `visit::<Memory>` as a handler.
//
// Book: "axum's Handler error" (src/understanding/axum-handler.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::routing::get;

trait Store: Clone + Send + Sync + 'static {
    fn visits(&self) -> &Mutex<u64>;
}

// ANCHOR: handler
async fn visit<S: Store>(State(store): State<S>) -> String {
    let number = {
        let mut visits = store.visits().lock().unwrap();
        *visits += 1;
        *visits
    };
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("visit number {number}")
}
// ANCHOR_END: handler

#[derive(Clone)]
struct Memory(Arc<Mutex<u64>>);

impl Store for Memory {
    fn visits(&self) -> &Mutex<u64> {
        &self.0
    }
}

// Never called: it is here so that the compiler checks `visit::<Memory>`'s future.
#[allow(dead_code)]
fn visit_is_send(store: Memory) {
    fn must_be_send<F: Send>(_: F) {}
    must_be_send(visit(State(store)));
}

#[tokio::main]
async fn main() {
    let store = Memory(Arc::new(Mutex::new(0)));
    let _app: Router = Router::new()
        .route("/visit", get(visit::<Memory>))
        .with_state(store.clone());
    // `tokio::spawn` asks for `Send` too, and gets it.
    let answer = tokio::spawn(visit(State(store))).await.unwrap();
    assert_eq!(answer, "visit number 1");
}
