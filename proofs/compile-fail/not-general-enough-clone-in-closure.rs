// Claim: cloning the item inside the closure does not cure "implementation of `FnOnce` is
// not general enough". The closure's argument is still a `&String`, because the stream
// still yields borrows, and the compiler still has to prove that the closure works for
// any lifetime of that borrow. (The shape of rust-lang/rust#89976, whose closure also
// cloned before its `async move`.)
//
// Book: "When the compiler cannot prove it" (src/culprits/not-general-enough.md).

use futures::stream::{self, StreamExt};

async fn status(url: &str) -> u16 {
    tokio::task::yield_now().await;
    if url.ends_with('/') { 200 } else { 404 }
}

// ANCHOR: statuses
async fn statuses(links: Vec<String>) -> Vec<u16> {
    stream::iter(links.iter())
        .map(|link| {
            let link = link.clone();
            async move { status(&link).await }
        })
        .buffer_unordered(4)
        .collect()
        .await
}
// ANCHOR_END: statuses

#[tokio::main]
async fn main() {
    let links = vec!["https://example.com/".to_string()];
    let task = tokio::spawn(statuses(links));
    println!("{:?}", task.await.unwrap());
}
