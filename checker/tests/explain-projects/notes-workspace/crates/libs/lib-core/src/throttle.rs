use std::collections::HashMap;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

/// Spaces out each user's writes, one every `gap`: a burst of requests waits its turn
/// instead of hammering the store.
pub struct Throttle {
    gap: Duration,
    next_turn: Mutex<HashMap<u64, Instant>>,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::new(Duration::from_millis(50))
    }
}

impl Throttle {
    pub fn new(gap: Duration) -> Throttle {
        Throttle {
            gap,
            next_turn: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until `user` may write again, and books the turn after that one.
    pub async fn wait_turn(&self, user: u64) {
        let turn = {
            let mut next_turn = self.next_turn.lock();
            let now = Instant::now();
            let turn = next_turn.get(&user).copied().unwrap_or(now).max(now);
            next_turn.insert(user, turn + self.gap);
            turn
        };
        tokio::time::sleep_until(turn).await;
    }
}
