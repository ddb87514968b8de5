// Claim: an async closure that borrows, handed to a helper that takes `impl AsyncFn`, makes
// a spawned future fail with "implementation of `Send` is not general enough", although
// every value involved is `Send`. The shape of rust-lang/rust#138207 and #139475, both
// open.
//
// Book: "Async closures" (src/culprits/async-closures.md).

use std::time::Duration;

struct Client;

impl Client {
    async fn get(&self, url: &str) -> Result<String, String> {
        tokio::time::sleep(Duration::from_millis(10)).await;
        Ok(format!("<html>{url}</html>"))
    }
}

// ANCHOR: retry
/// Calls `op` until it succeeds, at most three times, pausing between attempts.
async fn retry<T>(op: impl AsyncFn() -> Result<T, String>) -> Result<T, String> {
    let mut last = op().await;
    for _ in 1..3 {
        if last.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        last = op().await;
    }
    last
}

async fn fetch_page(client: &Client, url: &str) -> Result<String, String> {
    retry(async || client.get(url).await).await
}
// ANCHOR_END: retry

#[tokio::main]
async fn main() {
    let client = Client;
    let task = tokio::spawn(async move { fetch_page(&client, "https://example.com/").await });
    println!("{:?}", task.await.unwrap());
}
