// Claim: in edition 2021, as in 2024 (exercises/cache-revalidate-if-let.rs), the `then`
// block of an `if let` runs with the scrutinee's temporaries alive: the guard is alive at
// the `.await` in the `then` block, and `tokio::spawn` refuses the future.
//
// Book: "What edition 2024 changed" (src/traps/edition-2024.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Pages = Arc<Mutex<HashMap<String, String>>>;

/// Stands in for a check with the origin server.
async fn still_fresh(body: &str) -> bool {
    tokio::time::sleep(Duration::from_millis(20)).await;
    !body.is_empty()
}

async fn page(pages: Pages, id: String) -> Option<String> {
    if let Some(body) = pages.lock().unwrap().get(&id) {
        if still_fresh(body).await {
            return Some(body.clone());
        }
    }
    None
}

#[tokio::main]
async fn main() {
    let pages = Pages::default();
    let body = tokio::spawn(page(pages, "7".to_owned())).await;
    println!("{body:?}");
}
