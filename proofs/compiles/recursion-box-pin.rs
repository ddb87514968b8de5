// Claim: since Rust 1.77 an `async fn` may await itself through `Box::pin`, and the whole
// recursion can then be spawned: the compiler proves the future `Send` without a cycle,
// because nothing inside the recursion asks for `Send` before the function is finished.
// (rust-lang/rust#117703.)
//
// Book: "Recursion" (src/culprits/recursion.md).

use std::collections::HashMap;

// ANCHOR: depth
/// How many levels of replies hang below comment `id`.
async fn depth(replies: &HashMap<u32, Vec<u32>>, id: u32) -> u32 {
    tokio::task::yield_now().await;
    let mut deepest = 0;
    for child in replies.get(&id).into_iter().flatten() {
        deepest = deepest.max(Box::pin(depth(replies, *child)).await);
    }
    deepest + 1
}
// ANCHOR_END: depth

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let replies = HashMap::from([(1, vec![2, 3]), (2, vec![4])]);
    let deepest = tokio::spawn(async move { depth(&replies, 1).await });
    assert_eq!(deepest.await.unwrap(), 3);
}
