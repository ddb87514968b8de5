// Reproduces: https://github.com/tokio-rs/tracing/issues/698 — `let _e = span.enter();` kept across an await: `Entered` is Send in tracing 0.1, so it compiles, but while the task is suspended the span stays entered on a thread that runs other work, and the traces come out wrong.
// expect: compiles
use std::time::Duration;

use tracing::info_span;

async fn work(id: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    id * 2
}

async fn handler(id: u32) -> u32 {
    let span = info_span!("request", id);
    let _entered = span.enter();
    work(id).await
}

#[tokio::main]
async fn main() {
    let a = tokio::spawn(handler(1));
    let b = tokio::spawn(handler(2));
    println!("{} {}", a.await.unwrap(), b.await.unwrap());
}
