// # The token refreshed under a write lock
//
// Story: the shipping page calls a partner's API with an access token from the partner's
// auth server. Tokens expire after a few seconds, so the app caches one and fetches a new
// one when it has expired. Every call reads the cached token; a refresh replaces it. Its
// author took the write lock for the whole check-and-refresh, so that two calls could not
// both refresh.
//
// What is wrong: it does not compile. The handler's future "cannot be sent between
// threads safely", and the value named is a write guard.
//
// What to do: keep reusing a valid token and refreshing an expired one, without holding a
// std guard across the refresh. Only `TokenCache::bearer` needs to change.
//
// Book: "Read-mostly data: RwLock and arc-swap" (src/beyond/read-mostly.md).

use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::pricing::{Partner, Token};
use tokio::time::Instant;

// ANCHOR: token_cache
struct TokenCache {
    current: RwLock<Token>,
    partner: Partner,
}

impl TokenCache {
    /// A token the partner accepts now, fetching a new one if the cached one has expired.
    async fn bearer(&self) -> String {
        let mut token = self.current.write().unwrap();
        if token.expires_at <= Instant::now() {
            *token = self.partner.fetch_token().await;
        }
        token.value.clone()
    }
}
// ANCHOR_END: token_cache

// ANCHOR: handler
#[derive(Clone)]
struct AppState {
    tokens: Arc<TokenCache>,
    partner: Partner,
}

#[axum::debug_handler]
async fn shipment(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<String, (StatusCode, String)> {
    let token = app.tokens.bearer().await;
    app.partner
        .shipment(&id, &token)
        .await
        .map_err(|err| (StatusCode::BAD_GATEWAY, err.to_string()))
}
// ANCHOR_END: handler

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(partner: Partner) -> Router {
    let tokens = TokenCache {
        current: RwLock::new(Token::expired()),
        partner: partner.clone(),
    };
    let state = AppState {
        tokens: Arc::new(tokens),
        partner,
    };
    Router::new()
        .route("/shipments/{id}", get(shipment))
        .with_state(state)
}

fn main() {
    checker::pricing::check_tokens(app);
}
