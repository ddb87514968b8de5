// Claim: a connection that is `Send` but not `Sync` cannot be shared between tasks with an
// `Arc`, even when no task keeps a reference to it across an `.await`: an `Arc<T>` is
// `Send` only if `T` is `Send + Sync`, since every clone gives its thread a `&T`. The error
// is about the captured `Arc`, not about an `.await`.
//
// Book: "A connection that is Send but not Sync" (src/culprits/not-sync-connection.md).

use std::sync::Arc;

use checker::ledger::{Bank, Database};
use tokio::task::JoinSet;

// ANCHOR: shared
async fn import_all(db: Database, bank: Bank, accounts: Vec<String>) -> usize {
    // One connection for the whole import, shared by every task.
    let conn = Arc::new(db.open());
    let mut tasks = JoinSet::new();
    for account in accounts {
        let (conn, bank) = (Arc::clone(&conn), bank.clone());
        tasks.spawn(async move {
            let mut stored = 0;
            let mut page = 0;
            while let Some(transactions) = bank.statement_page(&account, page).await {
                for txn in &transactions {
                    conn.insert(txn).unwrap();
                }
                stored += transactions.len();
                page += 1;
            }
            stored
        });
    }
    tasks.join_all().await.into_iter().sum()
}
// ANCHOR_END: shared

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let accounts = vec!["current".to_owned()];
    println!(
        "{}",
        runtime.block_on(import_all(Database::default(), Bank, accounts))
    );
}
