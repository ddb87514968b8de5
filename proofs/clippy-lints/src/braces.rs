// Claim: clippy's `blocks_in_conditions` (a style lint, warn by default) asks to remove
// the braces around a `match` scrutinee that, in edition 2024, end the guard before the
// arms (proofs/compiles/edition-2024-braced-scrutinee.rs). Following its advice brings the
// guard back into the `None` arm, across the `.await`, and `await_holding_lock` then warns.
// A `let` statement of its own says the same thing, and draws neither warning.
//
// Book: "Let clippy warn you" (src/traps/clippy.md).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

async fn fetch(id: &str) -> String {
    tokio::time::sleep(Duration::from_millis(10)).await;
    format!("product {id}")
}

// ANCHOR: braced
pub async fn page(pages: &Mutex<HashMap<String, String>>, id: &str) -> String {
    // warns on the next line: clippy::blocks_in_conditions
    match { pages.lock().unwrap().get(id).cloned() } {
        Some(body) => body,
        None => fetch(id).await,
    }
}
// ANCHOR_END: braced

// ANCHOR: unbraced
pub async fn page_unbraced(pages: &Mutex<HashMap<String, String>>, id: &str) -> String {
    // warns on the next line: clippy::await_holding_lock
    match pages.lock().unwrap().get(id).cloned() {
        Some(body) => body,
        None => fetch(id).await,
    }
}
// ANCHOR_END: unbraced

// ANCHOR: fixed
pub async fn page_fixed(pages: &Mutex<HashMap<String, String>>, id: &str) -> String {
    let cached = pages.lock().unwrap().get(id).cloned();
    match cached {
        Some(body) => body,
        None => fetch(id).await,
    }
}
// ANCHOR_END: fixed
