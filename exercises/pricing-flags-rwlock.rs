// # The flag read for too long
//
// Story: a shop quotes prices with one of two pricing engines, chosen by a feature flag
// that operators flip at run time. Quotes read the flags all the time; flips are rare.
// So the flags sit behind a `RwLock`: any number of readers at once, and a writer only
// now and then.
//
// What is wrong: it does not compile. The quote handler's future "cannot be sent between
// threads safely", and the value named is a read guard.
//
// What to do: read the flag, and quote without holding the read guard. Only `quote`
// needs to change.
//
// Book: "Read-mostly data: RwLock and arc-swap" (src/beyond/read-mostly.md).

use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, put};
use checker::pricing::{Flags, Pricing};

// ANCHOR: handlers
#[derive(Clone)]
struct AppState {
    flags: Arc<RwLock<Flags>>,
    pricing: Pricing,
}

#[axum::debug_handler]
async fn quote(State(app): State<AppState>, Path(cart): Path<String>) -> String {
    let flags = app.flags.read().unwrap();
    if flags.dynamic_pricing {
        app.pricing.dynamic(&cart).await
    } else {
        app.pricing.list_price(&cart).await
    }
}

async fn set_dynamic_pricing(State(app): State<AppState>, Path(on): Path<bool>) {
    app.flags.write().unwrap().dynamic_pricing = on;
}
// ANCHOR_END: handlers

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(pricing: Pricing) -> Router {
    let state = AppState {
        flags: Arc::default(),
        pricing,
    };
    Router::new()
        .route("/quote/{cart}", get(quote))
        .route("/flags/dynamic-pricing/{on}", put(set_dynamic_pricing))
        .with_state(state)
}

fn main() {
    checker::pricing::check(app);
}
