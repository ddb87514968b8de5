// Claim: the handle from `rand::rng()` is harmless when it dies before the first `.await`.
// Draw every number the task needs inside a block (or through rand's one-call functions such
// as `rand::random_range`, which drop their handle at once); only plain values, which are
// `Send`, are then alive at the awaits, and `tokio::spawn` accepts the future.
//
// Book: "Thread-local random numbers" (src/other/thread-rng.md).

use std::time::Duration;

use rand::Rng;
use rand::seq::SliceRandom;

/// Tries the replicas in a random order, pausing a random 10 to 50 ms before each attempt,
/// and returns them in the order it tried them.
// ANCHOR: block
async fn try_in_random_order(replicas: &[String]) -> Vec<String> {
    let (order, pauses): (Vec<String>, Vec<u64>) = {
        let mut rng = rand::rng();
        let mut order = replicas.to_vec();
        order.shuffle(&mut rng);
        let pauses = order.iter().map(|_| rng.random_range(10..50)).collect();
        (order, pauses)
    }; // the handle is dropped here: only a Vec<String> and a Vec<u64> go on

    let mut tried = Vec::new();
    for (replica, pause) in order.into_iter().zip(pauses) {
        tokio::time::sleep(Duration::from_millis(pause)).await;
        tried.push(replica);
    }
    tried
}
// ANCHOR_END: block

/// Picks one replica and "forwards" to it.
// ANCHOR: one_call
async fn pick_one(replicas: &[String]) -> String {
    let first = rand::random_range(0..replicas.len()); // a handle for one call
    tokio::time::sleep(Duration::from_millis(20)).await;
    replicas[first].clone()
}
// ANCHOR_END: one_call

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let replicas: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();

    // `tokio::spawn` demands `Send` futures: that these compile is the proof.
    let all = replicas.clone();
    let mut tried = tokio::spawn(async move { try_in_random_order(&all).await })
        .await
        .unwrap();
    tried.sort();
    assert_eq!(tried, replicas);

    let all = replicas.clone();
    let picked = tokio::spawn(async move { pick_one(&all).await })
        .await
        .unwrap();
    assert!(replicas.contains(&picked));
}
