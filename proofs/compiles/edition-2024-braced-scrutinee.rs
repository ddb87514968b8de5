// Claim: in edition 2024, the temporaries of a block's tail expression are dropped at the
// end of the block. Wrapped in braces, the scrutinee of proofs/compile-fail/
// temporaries-match-cloned.rs becomes the tail expression of a block, so the guard dies
// at the block's `}`, before any arm runs: the future is `Send`, `tokio::spawn` accepts
// it, and the `insert` can lock the mutex again. In edition 2021 the same braces change
// nothing: proofs/edition2021/cases/edition-2024-braced-scrutinee.rs.
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
// Clippy asks to remove these braces (`blocks_in_conditions`);
// here they are the point.
#[allow(clippy::blocks_in_conditions)]
async fn page(pages: Pages, id: String) -> String {
    match { pages.lock().unwrap().get(&id).cloned() } {
        Some(body) => body,
        None => {
            let body = fetch(&id).await;
            pages.lock().unwrap().insert(id, body.clone());
            body
        }
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
