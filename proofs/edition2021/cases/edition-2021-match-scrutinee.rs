// Claim: in edition 2021, as in 2024 (proofs/compile-fail/temporaries-match-cloned.rs), a
// `match` scrutinee's temporaries live through every arm: the guard is alive at the
// `.await` in the `None` arm, and `tokio::spawn` refuses the future.
//
// Book: "What edition 2024 changed" (src/traps/edition-2024.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Pages = Arc<Mutex<HashMap<String, String>>>;

/// Stands in for a slow origin server.
async fn fetch(id: &str) -> String {
    tokio::time::sleep(Duration::from_millis(20)).await;
    format!("product {id}")
}

async fn page(pages: Pages, id: String) -> String {
    match pages.lock().unwrap().get(&id).cloned() {
        Some(body) => body,
        None => fetch(&id).await,
    }
}

#[tokio::main]
async fn main() {
    let pages = Pages::default();
    let body = tokio::spawn(page(pages, "7".to_owned())).await;
    println!("{body:?}");
}
