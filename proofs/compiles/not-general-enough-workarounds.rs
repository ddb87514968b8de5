// Claim: each of these versions of a `buffer_unordered` over a page's links can be spawned,
// where the version that streams `links.iter()` into a closure taking `&String` cannot:
// streaming owned values (`into_iter`, or `.iter().cloned()`), a named `async fn` over
// owned values, boxing the *stream* with `.boxed()`, boxing the future that holds it,
// building the stream in a plain function that promises `Send`, and `then` (which keeps
// one future at a time, and whose type holds it without going through the closure).
//
// Book: "When the compiler cannot prove it" (src/culprits/not-general-enough.md).

use futures::FutureExt;
use futures::stream::{self, Stream, StreamExt};

async fn status(url: &str) -> u16 {
    tokio::task::yield_now().await;
    if url.ends_with('/') { 200 } else { 404 }
}

// ANCHOR: owned
async fn owned(links: Vec<String>) -> Vec<u16> {
    stream::iter(links)
        .map(|link| async move { status(&link).await })
        .buffer_unordered(4)
        .collect()
        .await
}
// ANCHOR_END: owned

// ANCHOR: cloned
async fn cloned(links: &[String]) -> Vec<u16> {
    stream::iter(links.iter().cloned())
        .map(|link| async move { status(&link).await })
        .buffer_unordered(4)
        .collect()
        .await
}
// ANCHOR_END: cloned

// ANCHOR: named
async fn status_of(link: String) -> u16 {
    status(&link).await
}

async fn named(links: Vec<String>) -> Vec<u16> {
    stream::iter(links)
        .map(status_of)
        .buffer_unordered(4)
        .collect()
        .await
}
// ANCHOR_END: named

// ANCHOR: boxed_stream
async fn boxed_stream(links: &[String]) -> Vec<u16> {
    stream::iter(links.iter())
        .map(|link| async move { status(link).await })
        .buffer_unordered(4)
        .boxed() // a Pin<Box<dyn Stream<Item = u16> + Send + '_>>
        .collect()
        .await
}
// ANCHOR_END: boxed_stream

// ANCHOR: boxed_future
async fn boxed_future(links: &[String]) -> Vec<u16> {
    stream::iter(links.iter())
        .map(|link| async move { status(link).await })
        .buffer_unordered(4)
        .collect::<Vec<u16>>()
        .boxed() // a Pin<Box<dyn Future<Output = Vec<u16>> + Send + '_>>
        .await
}
// ANCHOR_END: boxed_future

// ANCHOR: helper
fn statuses(links: &[String]) -> impl Stream<Item = u16> + Send + '_ {
    stream::iter(links.iter())
        .map(|link| async move { status(link).await })
        .buffer_unordered(4)
}

async fn helper(links: &[String]) -> Vec<u16> {
    statuses(links).collect().await
}
// ANCHOR_END: helper

// ANCHOR: then
async fn one_at_a_time(links: &[String]) -> Vec<u16> {
    stream::iter(links.iter())
        .then(|link| status(link))
        .collect()
        .await
}
// ANCHOR_END: then

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let links: Vec<String> = ["https://example.com/", "https://example.com/gone"]
        .map(String::from)
        .to_vec();
    let mut expected = vec![200, 404];

    // `tokio::spawn` demands `Send` futures: that these compile is the proof.
    let mut results = vec![
        tokio::spawn(owned(links.clone())).await.unwrap(),
        tokio::spawn(named(links.clone())).await.unwrap(),
    ];
    let all = links.clone();
    results.push(
        tokio::spawn(async move { cloned(&all).await })
            .await
            .unwrap(),
    );
    let all = links.clone();
    results.push(
        tokio::spawn(async move { boxed_stream(&all).await })
            .await
            .unwrap(),
    );
    let all = links.clone();
    results.push(
        tokio::spawn(async move { boxed_future(&all).await })
            .await
            .unwrap(),
    );
    let all = links.clone();
    results.push(
        tokio::spawn(async move { helper(&all).await })
            .await
            .unwrap(),
    );
    let all = links.clone();
    results.push(
        tokio::spawn(async move { one_at_a_time(&all).await })
            .await
            .unwrap(),
    );

    expected.sort();
    for mut result in results {
        result.sort();
        assert_eq!(result, expected);
    }
}
