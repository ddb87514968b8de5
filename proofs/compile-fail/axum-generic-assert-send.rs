// Claim: for a generic handler, which `#[axum::debug_handler]` refuses, a function that
// passes one concrete instantiation's future to a `Send` bound gets the precise error
// back: "future cannot be sent between threads safely", naming the guard and the
// `.await`. The function is compiled but never called; it costs nothing at run time.
// With the guard's life ended before the sleep, the same check compiles:
// proofs/compiles/axum-generic-assert-send.rs.
//
// Book: "axum's Handler error" (src/understanding/axum-handler.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;

trait Store: Clone + Send + Sync + 'static {
    fn visits(&self) -> &Mutex<u64>;
}

async fn visit<S: Store>(State(store): State<S>) -> String {
    let mut visits = store.visits().lock().unwrap();
    *visits += 1;
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("visit number {visits}")
}

#[derive(Clone)]
struct Memory(Arc<Mutex<u64>>);

impl Store for Memory {
    fn visits(&self) -> &Mutex<u64> {
        &self.0
    }
}

// ANCHOR: assert
// Never called: it is here so that the compiler checks `visit::<Memory>`'s future.
#[allow(dead_code)]
fn visit_is_send(store: Memory) {
    fn must_be_send<F: Send>(_: F) {}
    must_be_send(visit(State(store)));
}
// ANCHOR_END: assert

fn main() {}
