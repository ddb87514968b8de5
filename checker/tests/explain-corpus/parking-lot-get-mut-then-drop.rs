// Reproduces: https://github.com/rust-lang/rust/issues/136349 — a parking_lot write guard is used through get_mut, dropped with mem::drop, and the spawned loop then awaits a timer tick.
// expect: kind=parking-lot-guard shape=dropped-after-borrow culprit=`*mut ()` value=sessions
// expect-line: await=24
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::RwLock;

struct Reaper {
    sessions: RwLock<HashMap<u64, Instant>>,
}

impl Reaper {
    fn start(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::task::spawn(async move {
            let mut timer = tokio::time::interval(Duration::from_millis(5));
            for _ in 0..3 {
                let mut sessions = self.sessions.write();
                if let Some(seen) = sessions.get_mut(&0) {
                    *seen = Instant::now();
                }
                std::mem::drop(sessions);
                timer.tick().await;
            }
        })
    }
}

#[tokio::main]
async fn main() {
    let reaper = Arc::new(Reaper {
        sessions: RwLock::new(HashMap::from([(0, Instant::now())])),
    });
    reaper.start().await.unwrap();
}
