// Claim: boxing the recursive call does not help when the box is spawned: `Box::pin` gives
// a `Pin<Box<impl Future>>`, which is `Send` only if the future inside is, and that is the
// question the compiler cannot answer while it is still checking the function. The error
// is the same E0283, one note longer.
//
// Book: "Recursion" (src/culprits/recursion.md).

use std::collections::HashMap;
use std::sync::Arc;

// ANCHOR: depth
/// How many levels of replies hang below comment `id`, each branch counted in a task.
async fn depth(replies: Arc<HashMap<u32, Vec<u32>>>, id: u32) -> u32 {
    let mut branches = Vec::new();
    for child in replies.get(&id).into_iter().flatten() {
        let branch = Box::pin(depth(Arc::clone(&replies), *child));
        branches.push(tokio::spawn(branch));
    }
    let mut deepest = 0;
    for branch in branches {
        deepest = deepest.max(branch.await.unwrap());
    }
    deepest + 1
}
// ANCHOR_END: depth

#[tokio::main]
async fn main() {
    let replies = Arc::new(HashMap::from([(1, vec![2, 3]), (2, vec![4])]));
    println!("{}", depth(replies, 1).await);
}
