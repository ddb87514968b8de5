// Claim: in edition 2021, the temporaries of an `if let` scrutinee live until the end of
// the whole `if let … else`, `else` block included. The guard below is a temporary that
// the `then` block does not even need (the value was cloned out), yet it is alive at the
// `.await` in the `else` block, and `tokio::spawn` refuses the future. (Were it not
// spawned, the `insert` in the `else` block would lock the same mutex a second time.)
// The same code compiles in edition 2024: proofs/compiles/if-let-else-await.rs.
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

async fn page(pages: Pages, id: String) -> String {
    if let Some(body) = pages.lock().unwrap().get(&id).cloned() {
        body
    } else {
        let body = fetch(&id).await;
        pages.lock().unwrap().insert(id, body.clone());
        body
    }
}

#[tokio::main]
async fn main() {
    let pages = Pages::default();
    let body = tokio::spawn(page(pages, "7".to_owned())).await;
    println!("{body:?}");
}
