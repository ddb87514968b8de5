// # The if let that edition 2024 did not save
//
// Story: the catalogue's cache of exercise `cache-match` learned to expire pages. A cached page is
// served from memory for a while; after that, the origin is asked whether the cached copy
// is still current (cheap, if it is). Its author knew that edition 2024 ends an `if let`
// scrutinee's temporaries before the `else` block, so the `else` may await, and wrote one
// `if let … else`.
//
// What is wrong: it does not compile. The handler's future "cannot be sent between
// threads safely", and the `.await` named is not the one in the `else`.
//
// What to do: make it compile without changing what the handler does. Only the handler
// needs to change.
//
// Book: "What edition 2024 changed" (src/traps/edition-2024.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::cache::{Origin, OriginError, Page, Revalidated, TTL};
use tokio::time::Instant;

// ANCHOR: state
#[derive(Clone)]
struct AppState {
    /// Every page fetched so far, by product id.
    pages: Arc<Mutex<HashMap<String, Cached>>>,
    origin: Origin,
}

#[derive(Clone)]
struct Cached {
    page: Page,
    fresh_until: Instant,
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
    let page = if let Some(cached) = app.pages.lock().unwrap().get(&id) {
        if Instant::now() < cached.fresh_until {
            return Ok(cached.page.body.clone());
        }
        // Stale: ask the origin whether our copy is still the current page.
        let etag = &cached.page.etag;
        match app.origin.revalidate(&id, etag).await.map_err(not_found)? {
            Revalidated::NotModified => cached.page.clone(),
            Revalidated::Modified(page) => page,
        }
    } else {
        app.origin.fetch(&id).await.map_err(not_found)?
    };

    let body = page.body.clone();
    let fresh_until = Instant::now() + TTL;
    app.pages
        .lock()
        .unwrap()
        .insert(id, Cached { page, fresh_until });
    Ok(body)
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
    checker::cache::check_revalidating(app);
}
