// Reproduces: https://github.com/worldcoin/iris-mpc/issues/959 — a dashmap `Ref` from `.get()` is kept across an await: dashmap 6's guards are Send, so this compiles, yet a writer to the same shard on the same thread would deadlock.
// expect: compiles
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;

async fn send_to(peer: &str, message: &str) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("sent {message:?} to {peer}");
}

async fn forward(peers: Arc<DashMap<u32, String>>, id: u32, message: &str) {
    if let Some(address) = peers.get(&id) {
        // The shard's read lock is held for the whole send: an insert into the same shard,
        // made by another task polled on this thread meanwhile, would block the thread.
        send_to(&address, message).await;
    }
}

#[tokio::main]
async fn main() {
    let peers = Arc::new(DashMap::new());
    peers.insert(1, "10.0.0.1:4000".to_string());
    tokio::spawn(forward(Arc::clone(&peers), 1, "share 7"))
        .await
        .unwrap();
}
