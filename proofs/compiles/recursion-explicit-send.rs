// Claim: a `+ Send` written in one signature ends the cycle. `sync_subfolder` returns
// `impl Future<Output = ()> + Send`, so spawning it needs no look into its body, and the
// body is checked against the promise afterwards; the pinger returns a boxed future that
// says `Send`. No other line changes.
//
// Book: "Recursion" (src/culprits/recursion.md).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: mutual
async fn sync_folder(path: String, depth: u32, done: Arc<Mutex<Vec<String>>>) {
    tokio::time::sleep(Duration::from_millis(10)).await;
    done.lock().unwrap().push(path.clone());
    if depth > 0 {
        for i in 0..2 {
            let done = Arc::clone(&done);
            tokio::spawn(sync_subfolder(format!("{path}/{i}"), depth - 1, done));
        }
    }
}

// Not an `async fn`, whatever clippy's `manual_async_fn` says: the `+ Send` is the point.
#[allow(clippy::manual_async_fn)]
fn sync_subfolder(
    path: String,
    depth: u32,
    done: Arc<Mutex<Vec<String>>>,
) -> impl Future<Output = ()> + Send {
    async move { sync_folder(path, depth, done).await }
}
// ANCHOR_END: mutual

struct Pinger {
    peers: Vec<String>,
    pings: Mutex<u32>,
}

// ANCHOR: respawn
impl Pinger {
    fn ping_round(self: Arc<Self>, rounds_left: u32) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(async move {
            for _peer in &self.peers {
                tokio::time::sleep(Duration::from_millis(5)).await;
                *self.pings.lock().unwrap() += 1;
            }
            if rounds_left > 0 {
                tokio::spawn(self.clone().ping_round(rounds_left - 1));
            }
        })
    }
}
// ANCHOR_END: respawn

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let done = Arc::new(Mutex::new(Vec::new()));
    sync_folder("photos".into(), 2, Arc::clone(&done)).await;
    let pinger = Arc::new(Pinger {
        peers: vec!["10.0.0.2".into(), "10.0.0.3".into()],
        pings: Mutex::new(0),
    });
    Arc::clone(&pinger).ping_round(3).await;
    // Let the spawned tasks finish.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(done.lock().unwrap().len(), 7);
    assert_eq!(*pinger.pings.lock().unwrap(), 8);
}
