// Claim: a future that keeps a `Cell` across an `.await` is `Send` (the `Cell` moves with
// it) but not `Sync`, and an API that asks for `Future + Send + Sync` refuses it with
// "future cannot be shared between threads safely". Nothing else about the future changes.
//
// Book: "Futures that must be Sync" (src/culprits/sync-futures.md).

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

// ANCHOR: submit
/// Runs `job` in the background.
fn submit<F>(job: F)
where
    F: Future<Output = ()> + Send + Sync + 'static,
{
    tokio::spawn(job);
}
// ANCHOR_END: submit

async fn deliver(attempt: u32) -> Result<(), String> {
    tokio::time::sleep(Duration::from_millis(10)).await;
    if attempt < 2 {
        Err("busy".into())
    } else {
        Ok(())
    }
}

#[tokio::main]
async fn main() {
    // ANCHOR: job
    submit(async {
        let attempts = Cell::new(0);
        while deliver(attempts.get()).await.is_err() {
            attempts.set(attempts.get() + 1);
        }
        println!("delivered after {} retries", attempts.get());
    });
    // ANCHOR_END: job
}
