// Claim: a future boxed with `FutureExt::boxed_local()` is a `LocalBoxFuture`, with no
// `Send` in its type, whatever it holds: a task that awaits one cannot be spawned, even
// when the future inside would be `Send`. `.boxed()` gives a `BoxFuture`, which is `Send`.
//
// Book: "Boxed futures and async-trait" (src/culprits/boxed-futures.md).

use std::time::Duration;

use futures::FutureExt;
use futures::future::LocalBoxFuture;

// ANCHOR: retry
async fn with_retries<F>(mut attempt: F) -> u32
where
    F: FnMut(u32) -> LocalBoxFuture<'static, Option<u32>>,
{
    for n in 0.. {
        if let Some(value) = attempt(n).await {
            return value;
        }
    }
    unreachable!()
}

fn read_counter(n: u32) -> LocalBoxFuture<'static, Option<u32>> {
    async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        (n >= 2).then_some(n * 10)
    }
    .boxed_local()
}
// ANCHOR_END: retry

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let counter = tokio::spawn(with_retries(read_counter));
    // ANCHOR_END: spawn
    println!("{}", counter.await.unwrap());
}
