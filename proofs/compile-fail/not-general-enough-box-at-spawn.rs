// Claim: boxing the whole future where it is spawned, as a `Pin<Box<dyn Future + Send>>`,
// does not cure "not general enough": the coercion to `dyn Future + Send` needs the same
// proof of `Send` that `tokio::spawn` needed, about the same future.
//
// Book: "When the compiler cannot prove it" (src/culprits/not-general-enough.md).

use std::future::Future;
use std::pin::Pin;

use futures::stream::{self, StreamExt};

async fn status(url: &str) -> u16 {
    tokio::task::yield_now().await;
    if url.ends_with('/') { 200 } else { 404 }
}

async fn statuses(links: Vec<String>) -> Vec<u16> {
    stream::iter(links.iter())
        .map(|link| async move { status(link).await })
        .buffer_unordered(4)
        .collect()
        .await
}

#[tokio::main]
async fn main() {
    let links = vec!["https://example.com/".to_string()];
    // ANCHOR: boxed
    let boxed: Pin<Box<dyn Future<Output = Vec<u16>> + Send>> = Box::pin(statuses(links));
    let task = tokio::spawn(boxed);
    // ANCHOR_END: boxed
    println!("{:?}", task.await.unwrap());
}
