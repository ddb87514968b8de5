// Claim: a hot `Mutex<HashMap<…>>` can be split into shards, each a std `Mutex` of its
// own, chosen by the key's hash, so that requests for different keys rarely wait for
// each other. Each shard's guard is still a std `MutexGuard`; giving the shards an API of
// plain (not `async`) methods keeps every guard away from an `.await`, so handlers that
// use it can be spawned on a multi-threaded runtime.
//
// Book: "Sharding and concurrent maps" (src/beyond/sharding.md).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: sharded
/// Request counts by client, split over several locks.
struct Counters {
    shards: Vec<Mutex<HashMap<String, u64>>>,
    hasher: RandomState,
}

impl Counters {
    fn new(shards: usize) -> Self {
        Counters {
            shards: (0..shards).map(|_| Mutex::default()).collect(),
            hasher: RandomState::new(),
        }
    }

    /// The lock that guards `client`: the same one every time, for a given key.
    fn shard(&self, client: &str) -> &Mutex<HashMap<String, u64>> {
        let hash = self.hasher.hash_one(client);
        &self.shards[hash as usize % self.shards.len()]
    }

    /// Not `async`: the guard lives inside this call, so it can never meet an
    /// `.await`.
    fn hit(&self, client: &str) -> u64 {
        let mut shard = self.shard(client).lock().unwrap();
        let count = shard.entry(client.to_owned()).or_default();
        *count += 1;
        *count
    }
}

async fn handle(counters: Arc<Counters>, client: String) -> u64 {
    let seen = counters.hit(&client);
    // Stands in for the request's real work.
    tokio::time::sleep(Duration::from_millis(1)).await;
    seen
}
// ANCHOR_END: sharded

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() {
    let counters = Arc::new(Counters::new(16));
    let mut requests = Vec::new();
    for i in 0..400 {
        let client = format!("client-{}", i % 40);
        // `tokio::spawn` demands a `Send` future: that this compiles is the proof.
        requests.push(tokio::spawn(handle(Arc::clone(&counters), client)));
    }
    for request in requests {
        request.await.unwrap();
    }
    let total: u64 = counters
        .shards
        .iter()
        .map(|shard| shard.lock().unwrap().values().sum::<u64>())
        .sum();
    assert_eq!(total, 400);
    assert_eq!(counters.hit("client-7"), 11);
}
