// Claim: the deadlock needs no `LocalSet`: two futures awaited together with
// `tokio::join!`, in a future given to `block_on` (here, the checker's one-thread
// runtime), share one task and one thread. The first holds a std guard across a sleep;
// the second calls `lock()` and blocks the thread, so the first can never be polled again
// to let go. Nothing asks for `Send`, so it compiles without a word.
//
// Verdict: blocked
//
// Book: "The LocalSet deadlock" (src/traps/localset-deadlock.md).

use std::sync::Mutex;
use std::time::Duration;

use checker::harness;

// ANCHOR: join
async fn bump_slowly(hits: &Mutex<u64>) {
    let mut count = hits.lock().unwrap();
    *count += 1;
    tokio::time::sleep(Duration::from_millis(100)).await;
}

async fn bump_twice(hits: &Mutex<u64>) {
    tokio::join!(bump_slowly(hits), bump_slowly(hits));
}
// ANCHOR_END: join

fn main() {
    harness::run("two futures joined in one task", async {
        let hits = Mutex::new(0);
        bump_twice(&hits).await;
        Ok(())
    });
}
