// # The throttle built on parking_lot
//
// Story: an alerting service texts the on-call engineers through an SMS provider whose
// contract allows a burst of five messages, then one every 200 ms. A throttle in front of
// the provider makes each alert wait for its turn. Its author picked `parking_lot`'s mutex
// for its speed and its `lock()` without `unwrap()`.
//
// What is wrong: it does not compile. The handler's future "cannot be sent between
// threads safely", and the value named is a `parking_lot` guard.
//
// What to do: make each alert wait for its turn without holding the lock while it
// waits. Keep `parking_lot`. Only `Throttle::acquire` needs to change.
//
// Book: "parking_lot and send_guard" (src/beyond/parking-lot.md).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use checker::limiter::{Bucket, SmsProvider};
use parking_lot::Mutex;
use tokio::time::Instant;

// ANCHOR: throttle
/// Keeps the alerts within the SMS provider's contract.
struct Throttle {
    bucket: Mutex<Bucket>,
}

impl Throttle {
    /// Waits until the contract allows one more message, and takes its token.
    async fn acquire(&self) {
        let mut bucket = self.bucket.lock();
        while let Err(wait) = bucket.try_take(Instant::now()) {
            tokio::time::sleep(wait).await;
        }
    }
}
// ANCHOR_END: throttle

// ANCHOR: handler
#[derive(Clone)]
struct AppState {
    throttle: Arc<Throttle>,
    sms: SmsProvider,
}

#[axum::debug_handler]
async fn alert(
    State(app): State<AppState>,
    Path(phone): Path<String>,
) -> Result<StatusCode, (StatusCode, String)> {
    app.throttle.acquire().await;
    app.sms
        .send(&phone, "disk usage above 90% on db-1")
        .await
        .map_err(|err| (StatusCode::BAD_GATEWAY, err.to_string()))?;
    Ok(StatusCode::ACCEPTED)
}
// ANCHOR_END: handler

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(sms: SmsProvider) -> Router {
    let state = AppState {
        throttle: Arc::new(Throttle {
            bucket: Mutex::new(Bucket::sms_contract()),
        }),
        sms,
    };
    Router::new()
        .route("/alerts/{phone}", post(alert))
        .with_state(state)
}

fn main() {
    checker::limiter::check_throttle(app);
}
