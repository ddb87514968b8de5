// Reproduces: https://github.com/hoprnet/hoprnet/pull/8248 — the fix that PR made: the span is entered only for the synchronous logging and the guard is dropped before `send().await`.
// expect: compiles
use tokio::sync::mpsc;
use tracing::debug_span;

async fn announce(tx: mpsc::Sender<(u32, Vec<String>)>, peer: u32, addrs: Vec<String>) {
    let span = debug_span!("peer_announcement", peer);
    {
        let _entered = span.enter();
        tracing::debug!(count = addrs.len(), "announcing");
    }
    tx.send((peer, addrs)).await.ok();
}

#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(4);
    let task = tokio::spawn(announce(tx, 7, vec!["/ip4/10.0.0.7/tcp/9091".into()]));
    println!("{:?}", rx.recv().await);
    task.await.unwrap();
}
