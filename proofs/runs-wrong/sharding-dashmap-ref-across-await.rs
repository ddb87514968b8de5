// Claim: dashmap's `RefMut` (dashmap 6.2) is `Send`, so holding one across an `.await`
// compiles even in a spawned task. But it holds a blocking lock on its shard: when another
// task then touches that shard, even through `len()` for a different key, it blocks the
// thread it runs on. On a one-thread runtime that is the only thread, and the first task
// can never resume to let go.
//
// Verdict: blocked
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

// ANCHOR: handlers
async fn touch(sessions: Arc<DashMap<String, Session>>, id: String) {
    let Some(mut session) = sessions.get_mut(&id) else {
        return;
    };
    session.requests += 1;
    if session.profile.is_none() {
        // `session` (a `RefMut`) is alive here: its shard stays write-locked.
        session.profile = Some(fetch_profile(&id).await);
    }
}

async fn active_sessions(sessions: Arc<DashMap<String, Session>>) -> usize {
    // `len` read-locks every shard in turn.
    sessions.len()
}
// ANCHOR_END: handlers

fn main() {
    harness::run("sessions in a DashMap", async {
        let sessions = Arc::new(DashMap::new());
        sessions.insert("alice".to_owned(), Session::default());
        sessions.insert("bob".to_owned(), Session::default());

        // ANCHOR: spawn
        // `tokio::spawn` demands `Send` futures: both compile.
        let touched = tokio::spawn(touch(Arc::clone(&sessions), "alice".into()));
        let counted = tokio::spawn(active_sessions(Arc::clone(&sessions)));
        // ANCHOR_END: spawn
        touched
            .await
            .map_err(|err| Failure::new(format!("touch failed: {err}")))?;
        let count = counted
            .await
            .map_err(|err| Failure::new(format!("the count failed: {err}")))?;
        ensure(count == 2, || {
            format!("expected 2 sessions, counted {count}")
        })
    });
}
