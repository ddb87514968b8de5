// Reproduces: https://github.com/gorules/zen/issues/127 — an axum handler evaluates a decision with a rules engine that embeds a JavaScript runtime held through Rc, and awaits while the engine is alive.
// The runtime here is a module of this file standing in for the engine's crate, so to the
// compiler (and to explain) it is this program's own type, which holds an `Rc`: kind `rc`.
// With the real crate, the same program is `foreign` (see the cargo explain-send tests).
// expect: kind=rc shape=held-across-await culprit=`Rc<RefCell<RawRuntime>>` value=engine
// expect-line: await=55
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::routing::post;
use serde_json::{Value, json};

/// A stand-in for a foreign crate's type: a QuickJS-style runtime handle, single-threaded
/// by design (its context is shared through an `Rc`).
mod quickjs {
    use std::cell::RefCell;
    use std::rc::Rc;

    pub struct RawRuntime {
        pub evaluations: u64,
    }

    pub struct Runtime {
        inner: Rc<RefCell<RawRuntime>>,
    }

    impl Runtime {
        pub fn new() -> Self {
            Runtime {
                inner: Rc::new(RefCell::new(RawRuntime { evaluations: 0 })),
            }
        }

        pub fn eval(&self, script: &str, input: &serde_json::Value) -> serde_json::Value {
            self.inner.borrow_mut().evaluations += 1;
            serde_json::json!({ "script": script, "approved": input["amount"].as_u64() < Some(1000) })
        }
    }
}

struct DecisionEngine {
    runtime: quickjs::Runtime,
}

async fn load_policy(name: &str) -> String {
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("export default (input) => input.amount < 1000 // {name}")
}

async fn decide(Json(input): Json<Value>) -> Json<Value> {
    let engine = DecisionEngine {
        runtime: quickjs::Runtime::new(),
    };
    let policy = load_policy("payments.json").await;
    let result = engine.runtime.eval(&policy, &input);
    Json(json!({ "result": result }))
}

#[tokio::main]
async fn main() {
    let app: Router = Router::new().route("/decide", post(decide));
    let _ = app;
}
