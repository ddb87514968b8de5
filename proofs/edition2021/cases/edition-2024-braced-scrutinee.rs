// Claim: in edition 2021, braces around a `match` scrutinee do not end its temporaries.
// The temporaries of a block's tail expression then lived on to the end of the enclosing
// statement, here the whole `match`, so the guard is still alive at the `.await` in the
// `None` arm and `tokio::spawn` refuses the future. The same code compiles in edition
// 2024: proofs/compiles/edition-2024-braced-scrutinee.rs.
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
    match { pages.lock().unwrap().get(&id).cloned() } {
        Some(body) => body,
        None => {
            let body = fetch(&id).await;
            pages.lock().unwrap().insert(id, body.clone());
            body
        }
    }
}

#[tokio::main]
async fn main() {
    let pages = Pages::default();
    let body = tokio::spawn(page(pages, "7".to_owned())).await;
    println!("{body:?}");
}
