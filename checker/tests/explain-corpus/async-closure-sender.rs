// Reproduces: https://github.com/rust-lang/rust/issues/139475 — an async closure that borrows a channel sender is passed to a helper taking `impl AsyncFnMut()`; spawning the whole fails with "implementation of `Send` is not general enough".
// expect: kind=none shape=not-general-enough culprit=`&'0 tokio::sync::mpsc::Sender<u32>` value=-
use tokio::sync::mpsc;

async fn repeat(times: u32, mut tick: impl AsyncFnMut(u32)) {
    for n in 0..times {
        tick(n).await;
    }
}

async fn produce(tx: mpsc::Sender<u32>) {
    let send = async |n: u32| {
        tx.send(n * n).await.ok();
    };
    repeat(3, send).await;
}

#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(8);
    let producer = tokio::spawn(produce(tx));
    while let Some(square) = rx.recv().await {
        println!("{square}");
    }
    producer.await.unwrap();
}
