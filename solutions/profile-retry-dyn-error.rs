// # The retry that kept its error
//
// Story: the profile page asks a profile service that is sometimes briefly overloaded, so
// the fetch is tried again after a short pause, up to three times. Two things can go wrong
// (the service, and the JSON it sends), and `Box<dyn Error>` with `?` takes either.
//
// What is wrong: it does not compile. The handler's future "cannot be sent between
// threads safely", and the value named is not a lock guard at all.
//
// What to do: make it compile, keeping the retries, the last error and the `?`s.
//
// Book: "Box<dyn Error>" (src/other/dyn-error.md).

use std::error::Error;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use checker::sessions::{Profiles, RETRY_ATTEMPTS, RETRY_BACKOFF};
use serde::Deserialize;

// ANCHOR: fetch
#[derive(Deserialize)]
struct Profile {
    display_name: String,
}

/// Any error that may travel between threads: the future that holds one across an
/// `.await` stays `Send`.
type BoxError = Box<dyn Error + Send + Sync>;

/// Fetches a user's profile, trying again while the service is briefly unavailable.
async fn fetch_profile(profiles: &Profiles, user: &str) -> Result<Profile, BoxError> {
    let mut last_error: BoxError = "no attempt was made".into();
    for attempt in 0..RETRY_ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(RETRY_BACKOFF * attempt).await;
        }
        match profiles.fetch(user).await {
            Ok(json) => return Ok(serde_json::from_str(&json)?),
            Err(err) if err.is_transient() => last_error = err.into(),
            Err(err) => return Err(err.into()),
        }
    }
    Err(last_error)
}
// ANCHOR_END: fetch

// ANCHOR: handler
#[axum::debug_handler]
async fn profile(
    State(profiles): State<Profiles>,
    Path(user): Path<String>,
) -> Result<String, (StatusCode, String)> {
    let profile = fetch_profile(&profiles, &user)
        .await
        .map_err(|err| (StatusCode::BAD_GATEWAY, err.to_string()))?;
    Ok(profile.display_name)
}
// ANCHOR_END: handler

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn app(profiles: Profiles) -> Router {
    Router::new()
        .route("/profiles/{user}", get(profile))
        .with_state(profiles)
}

fn main() {
    checker::sessions::check_retries(app);
}
