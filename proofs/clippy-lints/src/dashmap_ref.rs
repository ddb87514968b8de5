// Claim: clippy does not know dashmap's guards, but `await-holding-invalid-types` can name
// them: with `dashmap::mapref::one::RefMut` listed in clippy.toml,
// `await_holding_invalid_type` warns about one held across an `.await`. (Without the
// setting, clippy is silent: `RefMut` is `Send`, so the compiler is too.)
//
// Book: "Let clippy warn you" (src/traps/clippy.md).

use std::time::Duration;

use dashmap::DashMap;

async fn fetch_profile(user: &str) -> String {
    tokio::time::sleep(Duration::from_millis(10)).await;
    format!("profile of {user}")
}

// ANCHOR: held
pub async fn touch(sessions: &DashMap<String, Option<String>>, id: &str) {
    // warns on the next line: clippy::await_holding_invalid_type
    if let Some(mut session) = sessions.get_mut(id)
        && session.is_none()
    {
        *session = Some(fetch_profile(id).await);
    }
}
// ANCHOR_END: held

// ANCHOR: fixed
pub async fn touch_fixed(sessions: &DashMap<String, Option<String>>, id: &str) {
    let missing = sessions.get(id).is_some_and(|session| session.is_none());
    if missing {
        let profile = fetch_profile(id).await;
        if let Some(mut session) = sessions.get_mut(id) {
            *session = Some(profile);
        }
    }
}
// ANCHOR_END: fixed
