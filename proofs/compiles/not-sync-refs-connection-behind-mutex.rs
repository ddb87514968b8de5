// Claim: the same shared connection compiles once it sits behind a mutex. A `Mutex<T>` is
// `Sync` whenever `T` is `Send`: it lets one thread at a time reach the connection, which
// is all that a `Send`-but-not-`Sync` type needs. The guard lives for one statement, so a
// std mutex is enough; nothing is locked across an `.await`. The tasks now take turns at
// the inserts, which is what one connection can do anyway.
//
// Book: "A connection that is Send but not Sync" (src/culprits/not-sync-connection.md).

use std::sync::{Arc, Mutex};

use checker::ledger::{Bank, Database};
use tokio::task::JoinSet;

// ANCHOR: shared
async fn import_all(db: Database, bank: Bank, accounts: Vec<String>) -> usize {
    let conn = Arc::new(Mutex::new(db.open()));
    let mut tasks = JoinSet::new();
    for account in accounts {
        let (conn, bank) = (Arc::clone(&conn), bank.clone());
        tasks.spawn(async move {
            let mut stored = 0;
            let mut page = 0;
            while let Some(transactions) = bank.statement_page(&account, page).await {
                {
                    let conn = conn.lock().unwrap();
                    for txn in &transactions {
                        conn.insert(txn).unwrap();
                    }
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let accounts = ["current", "savings", "business"]
        .map(String::from)
        .to_vec();
    let stored = runtime.block_on(import_all(Database::default(), Bank, accounts));
    assert_eq!(stored, 3 * 3 * 4);
}
