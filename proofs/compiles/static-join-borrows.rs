// Claim: futures that are awaited together inside one task, with `tokio::join!`, may
// borrow the task's locals: nothing spawns them, so nothing asks for `'static` (or for
// `Send`). They run concurrently, though not in parallel: the three fetches below overlap,
// and take the time of one.
//
// Book: "'static is not Send" (src/traps/static-is-not-send.md).

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Stands in for a call to another service.
async fn fetch(id: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(100)).await;
    id * 10
}

// ANCHOR: join
async fn total(ids: &[u32]) -> u32 {
    let sum = Mutex::new(0);
    let add = |id| {
        let sum = &sum;
        async move {
            let value = fetch(id).await;
            *sum.lock().unwrap() += value;
        }
    };
    tokio::join!(add(ids[0]), add(ids[1]), add(ids[2]));
    sum.into_inner().unwrap()
}
// ANCHOR_END: join

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let started = Instant::now();
    assert_eq!(total(&[1, 2, 3]).await, 60);
    assert_eq!(started.elapsed(), Duration::from_millis(100));
}
