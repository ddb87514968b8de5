// Claim: the indirection must be `Box::pin`, not `Box::new`: a `Box<F>` is a future only
// when `F: Unpin`, and whether an `async fn`'s future is `Unpin` is again a question about
// the function being checked. The error (E0283) asks for type annotations.
//
// Book: "Recursion" (src/culprits/recursion.md).

use std::collections::HashMap;

// ANCHOR: depth
async fn depth(replies: &HashMap<u32, Vec<u32>>, id: u32) -> u32 {
    tokio::task::yield_now().await;
    let mut deepest = 0;
    for child in replies.get(&id).into_iter().flatten() {
        deepest = deepest.max(Box::new(depth(replies, *child)).await);
    }
    deepest + 1
}
// ANCHOR_END: depth

#[tokio::main]
async fn main() {
    let replies = HashMap::from([(1, vec![2, 3]), (2, vec![4])]);
    println!("{}", depth(&replies, 1).await);
}
