// # The cache that matched on its lock
//
// Story: a product catalogue sits behind a read-through cache: the first request for a
// page fetches it from the slow origin server and keeps it; later requests are served
// from memory. One `match` covers both cases.
//
// What is wrong: it does not compile. The handler's future "cannot be sent between
// threads safely". (Had it compiled, the first miss would have hung forever: look at what
// the `None` arm does before it returns.)
//
// What to do: make it compile without changing what the handler does. Only the handler
// needs to change.
//
// Book: "Temporaries and scrutinees" (src/traps/temporaries.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::cache::{Origin, OriginError, Page};

// ANCHOR: state
#[derive(Clone)]
struct AppState {
    /// Every page fetched so far, by product id.
    pages: Arc<Mutex<HashMap<String, Page>>>,
    origin: Origin,
}

fn not_found(err: OriginError) -> (StatusCode, String) {
    (StatusCode::NOT_FOUND, err.to_string())
}
// ANCHOR_END: state

// ANCHOR: handler
#[axum::debug_handler]
async fn product(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<String, (StatusCode, String)> {
    // The temporaries of a `match`'s scrutinee live until the end of the `match`, arms
    // included: the guard would be alive during the fetch (and locked twice by the
    // insert). Copy the cached page out in a statement of its own, then match on the copy.
    let cached = app.pages.lock().unwrap().get(&id).cloned();
    match cached {
        Some(page) => Ok(page.body),
        None => {
            let page = app.origin.fetch(&id).await.map_err(not_found)?;
            let body = page.body.clone();
            app.pages.lock().unwrap().insert(id, page);
            Ok(body)
        }
    }
}
// ANCHOR_END: handler

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(origin: Origin) -> Router {
    let state = AppState {
        pages: Arc::new(Mutex::new(HashMap::new())),
        origin,
    };
    Router::new()
        .route("/products/{id}", get(product))
        .with_state(state)
}

fn main() {
    checker::cache::check(app);
}
