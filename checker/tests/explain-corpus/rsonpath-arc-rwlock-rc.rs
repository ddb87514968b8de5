// Reproduces: https://github.com/rsonquery/rsonpath/issues/620 — compiled query engines that keep their pattern in an Rc live in a shared `Arc<tokio::sync::RwLock<HashMap<..>>>`, which a spawned task takes a write guard on.
// expect: kind=rc shape=captured culprit=`Rc<String>` value=shared
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use tokio::sync::RwLock;

struct Engine {
    pattern: Rc<String>,
}

impl Engine {
    fn compile(q: &str) -> Engine {
        Engine { pattern: Rc::new(q.to_string()) }
    }
}

#[tokio::main]
async fn main() {
    let rules: Arc<RwLock<HashMap<String, Engine>>> = Arc::new(RwLock::new(HashMap::new()));
    rules.write().await.insert("acme".into(), Engine::compile("$.orders[*]"));
    let shared = Arc::clone(&rules);
    let h = tokio::spawn(async move {
        let mut g = shared.write().await;
        g.remove("acme").map(|e| e.pattern.len())
    });
    println!("{:?}", h.await.unwrap());
}
