// Claim: an `async fn` that awaits itself directly is refused with E0733: its future would
// have to contain itself, and so be infinitely large. The error is about size, not `Send`,
// and it comes before anything asks for `Send`.
//
// Book: "Recursion" (src/culprits/recursion.md).

use std::collections::HashMap;

// ANCHOR: depth
/// How many levels of replies hang below comment `id`.
async fn depth(replies: &HashMap<u32, Vec<u32>>, id: u32) -> u32 {
    tokio::task::yield_now().await;
    let mut deepest = 0;
    for child in replies.get(&id).into_iter().flatten() {
        deepest = deepest.max(depth(replies, *child).await);
    }
    deepest + 1
}
// ANCHOR_END: depth

#[tokio::main]
async fn main() {
    let replies = HashMap::from([(1, vec![2, 3]), (2, vec![4])]);
    println!("{}", depth(&replies, 1).await);
}
