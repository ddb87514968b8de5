// Reproduces: https://github.com/rust-lang/rust/issues/128095 — a tokio watch::Ref is read (its len taken), dropped by hand, and the task then awaits changed(): still not Send.
// expect: kind=foreign shape=dropped-after-borrow culprit=`RwLockReadGuard` value=peers
// expect-line: await=17
use std::time::Duration;

use tokio::sync::watch;

#[tokio::main]
async fn main() {
    let (tx, mut rx) = watch::channel(vec!["10.0.0.1".to_string()]);
    let monitor = tokio::spawn(async move {
        loop {
            let peers = rx.borrow();
            let count = peers.len();
            drop(peers);
            println!("{count} peers");
            if rx.changed().await.is_err() {
                break;
            }
        }
    });
    tokio::time::sleep(Duration::from_millis(5)).await;
    tx.send_modify(|peers| peers.push("10.0.0.2".to_string()));
    drop(tx);
    monitor.await.unwrap();
}
