// Claim: `sync_wrapper::SyncFuture` makes any future `Sync`, at no cost in size, and
// changes nothing else: it is `Send` exactly when the future inside is. It can promise
// `Sync` because it offers nothing through a shared reference: polling takes `Pin<&mut _>`.
// And a queue of jobs behind a `Mutex` is `Sync` with jobs that are only `Send`.
//
// Book: "Futures that must be Sync" (src/culprits/sync-futures.md).

use std::cell::Cell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Mutex;

use sync_wrapper::SyncFuture;

fn is_send<T: Send>(_: &T) {}
fn is_sync<T: Sync>(_: &T) {}

// ANCHOR: submit
fn submit<F>(job: F) -> tokio::task::JoinHandle<u32>
where
    F: Future<Output = u32> + Send + Sync + 'static,
{
    tokio::spawn(job)
}
// ANCHOR_END: submit

async fn retries() -> u32 {
    let attempts = Cell::new(0);
    for _ in 0..3 {
        tokio::task::yield_now().await;
        attempts.set(attempts.get() + 1);
    }
    attempts.get()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: wrap
    let job = SyncFuture::new(retries());
    assert_eq!(size_of_val(&job), size_of_val(&retries()));
    assert_eq!(submit(job).await.unwrap(), 3);
    // ANCHOR_END: wrap

    // Still `Send` only if the future inside is: an `Rc` across an `.await` stays refused
    // by `tokio::spawn`, wrapped or not. Here it is only polled in place.
    let local = SyncFuture::new(async {
        let shared = Rc::new(5);
        tokio::task::yield_now().await;
        *shared
    });
    is_sync(&local);
    assert_eq!(local.await, 5);

    // ANCHOR: queue
    type Job = Pin<Box<dyn Future<Output = ()> + Send>>;
    let queue: Mutex<VecDeque<Job>> = Mutex::new(VecDeque::new());
    is_send(&queue);
    is_sync(&queue); // Mutex<T>: Sync needs only T: Send
    // ANCHOR_END: queue
    queue.lock().unwrap().push_back(Box::pin(async {}));
    let next = queue.lock().unwrap().pop_front();
    if let Some(job) = next {
        job.await;
    }
}
