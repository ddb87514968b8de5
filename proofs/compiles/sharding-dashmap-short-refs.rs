// Claim: with every dashmap reference kept out of the `.await` (read what the slow call
// needs in one statement, await with no reference alive, write back with a second, short
// `get_mut`), the two handlers of the blocked example finish on a one-thread runtime.
//
// Book: "Sharding and concurrent maps" (src/beyond/sharding.md).

use std::sync::Arc;
use std::time::Duration;

use checker::harness::{self, Failure, ensure};
use dashmap::DashMap;

#[derive(Default)]
struct Session {
    requests: u64,
    profile: Option<String>,
}

async fn fetch_profile(user: &str) -> String {
    // Stands in for a call to the profile service.
    tokio::time::sleep(Duration::from_millis(20)).await;
    format!("profile of {user}")
}

// ANCHOR: touch
async fn touch(sessions: Arc<DashMap<String, Session>>, id: String) {
    // The `RefMut` is a temporary of this statement: the shard is free again
    // at the `;`.
    let Some(needs_profile) = sessions.get_mut(&id).map(|mut session| {
        session.requests += 1;
        session.profile.is_none()
    }) else {
        return;
    };
    if needs_profile {
        let profile = fetch_profile(&id).await; // no reference alive here
        if let Some(mut session) = sessions.get_mut(&id) {
            // Another request may have fetched it meanwhile; the first one wins.
            session.profile.get_or_insert(profile);
        }
    }
}
// ANCHOR_END: touch

async fn active_sessions(sessions: Arc<DashMap<String, Session>>) -> usize {
    sessions.len()
}

fn main() {
    harness::run("sessions in a DashMap, references kept short", async {
        let sessions = Arc::new(DashMap::new());
        sessions.insert("alice".to_owned(), Session::default());
        sessions.insert("bob".to_owned(), Session::default());

        let touched = tokio::spawn(touch(Arc::clone(&sessions), "alice".into()));
        let counted = tokio::spawn(active_sessions(Arc::clone(&sessions)));
        touched
            .await
            .map_err(|err| Failure::new(format!("touch failed: {err}")))?;
        let count = counted
            .await
            .map_err(|err| Failure::new(format!("the count failed: {err}")))?;
        ensure(count == 2, || {
            format!("expected 2 sessions, counted {count}")
        })?;
        let alice = sessions
            .get("alice")
            .map(|s| (s.requests, s.profile.clone()));
        ensure(alice == Some((1, Some("profile of alice".into()))), || {
            format!("Alice's session should have one request and her profile: {alice:?}")
        })
    });
}
