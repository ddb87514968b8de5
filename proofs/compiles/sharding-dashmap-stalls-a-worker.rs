// Claim: on a multi-threaded runtime, the same `RefMut` held across an `.await` does not
// deadlock, but it stalls: a task that touches the locked shard blocks its worker thread
// (no other task can run there) until the first task's `.await` is over and it lets go.
// And clippy's `await_holding_lock` does not know dashmap's guards: the material's
// `cargo clippy --all-targets -- -D warnings` passes on this file, `RefMut` across a
// sleep and all.
//
// Book: "Sharding and concurrent maps" (src/beyond/sharding.md).

use std::sync::Arc;
use std::time::{Duration, Instant};

use dashmap::DashMap;
use tokio::sync::oneshot;

/// How long the first task keeps its `RefMut` while it waits.
const HELD_FOR: Duration = Duration::from_millis(200);

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sessions: Arc<DashMap<String, u64>> = Arc::new(DashMap::new());
    sessions.insert("alice".into(), 0);
    let (locked, shard_is_locked) = oneshot::channel::<()>();

    let holder = tokio::spawn({
        let sessions = Arc::clone(&sessions);
        async move {
            let mut count = sessions.get_mut("alice").unwrap();
            *count += 1;
            locked.send(()).unwrap();
            tokio::time::sleep(HELD_FOR).await;
            *count += 1;
        }
    });
    let counter = tokio::spawn({
        let sessions = Arc::clone(&sessions);
        async move {
            shard_is_locked.await.unwrap();
            let started = Instant::now();
            let len = sessions.len(); // blocks this worker thread, not just this task
            (len, started.elapsed())
        }
    });

    holder.await.unwrap();
    let (len, waited) = counter.await.unwrap();
    assert_eq!(len, 1);
    assert!(
        waited >= HELD_FOR - Duration::from_millis(20),
        "len() waited only {waited:?}"
    );
    assert_eq!(*sessions.get("alice").unwrap(), 2);
}
