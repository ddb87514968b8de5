// Claim: `async move` moves what the block uses, and for a `Copy` value such as an
// integer, moving is copying. The task below increments its own copy of `hits`: the task
// returns 11, and `main` can still read its `hits`, which is still 10. (To share a
// counter, share it: an `Arc<AtomicU64>` or an `Arc<Mutex<_>>`, cloned for the task.)
//
// Book: "'static is not Send" (src/traps/static-is-not-send.md).

// ANCHOR: copy
#[tokio::main]
async fn main() {
    let mut hits: u64 = 10;
    let task = tokio::spawn(async move {
        hits += 1;
        hits
    });
    assert_eq!(task.await.unwrap(), 11);
    assert_eq!(hits, 10);
}
// ANCHOR_END: copy
