// Claim: `rand::rng()` used as a temporary is only safe in a statement without an `.await`.
// A temporary lives to the end of its statement, so a handle created inside the arguments
// of an awaited call is alive at that `.await`, and the spawned future is not `Send`.
//
// Book: "Thread-local random numbers" (src/other/thread-rng.md).

use std::time::Duration;

use rand::Rng;

async fn forward(replica: &str, path: &str) -> String {
    tokio::time::sleep(Duration::from_millis(20)).await;
    format!("{replica}{path}")
}

// ANCHOR: handle
async fn handle(replicas: &[String], path: &str) -> String {
    forward(&replicas[rand::rng().random_range(0..replicas.len())], path).await
}
// ANCHOR_END: handle

#[tokio::main]
async fn main() {
    let replicas = vec!["http://a".to_string(), "http://b".to_string()];
    let answer = tokio::spawn(async move { handle(&replicas, "/search").await });
    println!("{}", answer.await.unwrap());
}
