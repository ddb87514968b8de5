// Claim: in edition 2024, the temporaries of an `if let` scrutinee are dropped before the
// `else` block runs. The guard below is gone by the time the `else` block awaits, so the
// future is `Send` and `tokio::spawn` accepts it, and the `insert` can lock the mutex
// again. The same code fails to compile in edition 2021:
// proofs/edition2021/cases/if-let-else-await.rs.
//
// Book: "What edition 2024 changed" (src/traps/edition-2024.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Pages = Arc<Mutex<HashMap<String, String>>>;

/// Stands in for a slow origin server.
async fn fetch(id: &str) -> String {
    tokio::time::sleep(Duration::from_millis(200)).await;
    format!("product {id}")
}

// ANCHOR: page
async fn page(pages: Pages, id: String) -> String {
    if let Some(body) = pages.lock().unwrap().get(&id).cloned() {
        body
    } else {
        let body = fetch(&id).await;
        pages.lock().unwrap().insert(id, body.clone());
        body
    }
}
// ANCHOR_END: page

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let pages = Pages::default();
    // `tokio::spawn` demands a `Send` future: that this compiles is the proof. The second
    // call finds the page in the cache.
    for _ in 0..2 {
        let body = tokio::spawn(page(Pages::clone(&pages), "7".to_owned())).await;
        assert_eq!(body.ok().as_deref(), Some("product 7"));
    }
}
