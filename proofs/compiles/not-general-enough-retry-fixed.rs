// Claim: the retry helper of `proofs/compile-fail/not-general-enough-async-closure.rs` can
// be spawned once the async closure owns what it uses (`async move ||` over an `Arc` and a
// `String`), or once the helper takes a plain closure that returns a future
// (`Fn() -> Fut`), which may then borrow as before. The line counter of
// `proofs/compile-fail/higher-ranked-lifetime-error.rs`, whose closure must mutate what it
// borrows, can be spawned once its loop is written in place instead of behind
// `impl AsyncFnMut`.
//
// Book: "Async closures" (src/culprits/async-closures.md).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

struct Client;

impl Client {
    async fn get(&self, url: &str) -> Result<String, String> {
        tokio::time::sleep(Duration::from_millis(10)).await;
        Ok(format!("<html>{url}</html>"))
    }
}

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

// ANCHOR: owned
async fn fetch_page(client: Arc<Client>, url: String) -> Result<String, String> {
    retry(async move || client.get(&url).await).await
}
// ANCHOR_END: owned

// ANCHOR: fn_future
async fn retry_fn<T, F, Fut>(op: F) -> Result<T, String>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
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

async fn fetch_page_borrowing(client: &Client, url: &str) -> Result<String, String> {
    retry_fn(|| client.get(url)).await
}
// ANCHOR_END: fn_future

// ANCHOR: inline
async fn count_lines(log: String) -> String {
    let mut seen = String::new();
    for number in 0..log.lines().count() {
        seen.push_str(&format!("{number} "));
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    seen
}
// ANCHOR_END: inline

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let client = Arc::new(Client);
    let url = "https://example.com/";
    let owned = tokio::spawn(fetch_page(Arc::clone(&client), url.to_owned()));
    let borrowing = tokio::spawn(async move { fetch_page_borrowing(&client, url).await });
    let expected = Ok(format!("<html>{url}</html>"));
    assert_eq!(owned.await.unwrap(), expected);
    assert_eq!(borrowing.await.unwrap(), expected);
    let counted = tokio::spawn(count_lines("INFO up\nERROR disk full\n".into()));
    assert_eq!(counted.await.unwrap(), "0 1 ");
}
