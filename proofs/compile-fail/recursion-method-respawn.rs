// Claim: a method that re-spawns itself, written as an `async fn`, fails with E0283 "type
// annotations needed: cannot satisfy `impl Future<Output = ()>: Send`", and the compiler's
// help suggests removing the method call, which would spawn an `Arc` instead of a future.
// Do not follow it. (The shape of rust-lang/rust-clippy#7052, where clippy suggested the
// `async fn`.)
//
// Book: "Recursion" (src/culprits/recursion.md).

use std::sync::Arc;
use std::time::Duration;

struct Pinger {
    peers: Vec<String>,
}

// ANCHOR: respawn
impl Pinger {
    /// Pings every peer, then schedules the next round in a fresh task.
    async fn ping_round(self: Arc<Self>, rounds_left: u32) {
        for peer in &self.peers {
            tokio::time::sleep(Duration::from_millis(5)).await;
            println!("ping {peer}");
        }
        if rounds_left > 0 {
            tokio::spawn(self.clone().ping_round(rounds_left - 1));
        }
    }
}
// ANCHOR_END: respawn

#[tokio::main]
async fn main() {
    let pinger = Arc::new(Pinger {
        peers: vec!["10.0.0.2".into()],
    });
    pinger.ping_round(3).await;
}
