// # The import that borrowed its connection
//
// Story: each night the bookkeeping app downloads every account's statement from the bank,
// page by page, and stores the transactions in its embedded database, one task per
// account. Each task opens a connection of its own. The connection here is the lesson's
// stand-in for `rusqlite::Connection`: `Send` but not `Sync`, because it keeps a cache in a
// `RefCell`, as rusqlite's does. (Real reports: rusqlite/rusqlite#1013, `&Connection`
// passed to an async helper in a spawned task; digital-society-coop/axum-sqlx-tx#40, a
// reference to a connection's state held across an `.await` in an extractor.)
//
// What is wrong: it does not compile. The task "cannot be sent between threads safely",
// although the connection itself is `Send`.
//
// What to do: make it compile, with the accounts still imported side by side.
//
// Book: "A connection that is Send but not Sync" (src/culprits/not-sync-connection.md).

use checker::ledger::{Bank, Connection, Database};
use tokio::task::JoinSet;

// ANCHOR: import
/// Stores every transaction of `account`'s statement; returns how many it stored.
///
/// The inserts are blocking calls, so they run on tokio's blocking pool. The connection
/// is lent to the blocking task and handed back with the result: between two `.await`s
/// the future owns a `Connection`, which is `Send`, and never holds a `&Connection`.
async fn import_account(mut conn: Connection, bank: &Bank, account: &str) -> anyhow::Result<usize> {
    let mut stored = 0;
    let mut page = 0;
    while let Some(transactions) = bank.statement_page(account, page).await {
        let (back, inserted) = tokio::task::spawn_blocking(move || {
            let inserted = transactions.iter().try_for_each(|txn| conn.insert(txn));
            (conn, inserted.map(|()| transactions.len()))
        })
        .await?;
        conn = back;
        stored += inserted?;
        page += 1;
    }
    Ok(stored)
}
// ANCHOR_END: import

// ANCHOR: nightly
async fn import_all(db: Database, bank: Bank, accounts: Vec<String>) -> anyhow::Result<usize> {
    let mut tasks = JoinSet::new();
    for account in accounts {
        let (db, bank) = (db.clone(), bank.clone());
        tasks.spawn(async move { import_account(db.open(), &bank, &account).await });
    }
    let mut stored = 0;
    while let Some(finished) = tasks.join_next().await {
        stored += finished??;
    }
    Ok(stored)
}
// ANCHOR_END: nightly

// ---------------------------------------------------------------------------------------
// The checker's part: it runs the import and checks the database. No need to change it.

fn main() {
    checker::ledger::check(import_all);
}
