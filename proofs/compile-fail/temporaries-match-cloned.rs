// Claim: `.cloned()` in a `match` scrutinee does not save the `match`. The value matched
// on is an owned copy, but the guard that `lock()` created on the way is a temporary of
// the scrutinee, and a scrutinee's temporaries live until the end of the whole `match`:
// the guard is alive in the `None` arm, at the `.await` of the fetch. (Had it compiled,
// the `insert` would then have locked the same mutex a second time.) Taking the copy in a
// `let` statement of its own, as in solutions/cache-match.rs, compiles.
//
// Book: "Temporaries and scrutinees" (src/traps/temporaries.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Pages = Arc<Mutex<HashMap<String, String>>>;

/// Stands in for a slow origin server.
async fn fetch(id: &str) -> String {
    tokio::time::sleep(Duration::from_millis(20)).await;
    format!("product {id}")
}

// ANCHOR: page
async fn page(pages: Pages, id: String) -> String {
    match pages.lock().unwrap().get(&id).cloned() {
        Some(body) => body,
        None => {
            let body = fetch(&id).await;
            pages.lock().unwrap().insert(id, body.clone());
            body
        }
    }
}
// ANCHOR_END: page

#[tokio::main]
async fn main() {
    let pages = Pages::default();
    let body = tokio::spawn(page(pages, "7".to_owned())).await;
    println!("{body:?}");
}
