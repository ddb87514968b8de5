// Claim: when two `async fn`s depend on each other and one of them spawns the other, the
// error reads "future cannot be sent between threads safely", with a note that blames an
// `.await` on a future "which is not `Send`". Nothing in either future is `!Send`: the
// compiler could not decide, and words it as a refusal. (The shape of
// tokio-rs/tokio#2394 and pragma-org/amaru#1282.)
//
// Book: "Recursion" (src/culprits/recursion.md).

use std::time::Duration;

// ANCHOR: mutual
/// Syncs one folder, then hands each of its subfolders to a task of its own.
async fn sync_folder(path: String, depth: u32) {
    tokio::time::sleep(Duration::from_millis(10)).await;
    if depth > 0 {
        for i in 0..2 {
            tokio::spawn(sync_subfolder(format!("{path}/{i}"), depth - 1));
        }
    }
}

/// Logs, then syncs.
async fn sync_subfolder(path: String, depth: u32) {
    println!("syncing {path}");
    sync_folder(path, depth).await;
}
// ANCHOR_END: mutual

#[tokio::main]
async fn main() {
    sync_folder("photos".into(), 2).await;
}
