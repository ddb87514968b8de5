//! The nightly statement import (exercise `ledger-import-connection`).
//!
//! Each night the bookkeeping app downloads every account's statement from the [`Bank`],
//! page by page ([`BANK_LATENCY`] per page), and inserts each transaction into its local
//! database through a [`Connection`]. The accounts are imported side by side, one task each.
//!
//! [`Connection`] is a **stand-in** for an embedded database's connection such as
//! `rusqlite::Connection`, with the same auto traits: it is `Send` (it may move to another
//! thread) but not `Sync` (two threads may not use it at once), because, like rusqlite's,
//! it keeps state it changes through `&self` in a `RefCell` (here, its cache of prepared
//! statements). Its calls are synchronous, as an embedded database's are.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long the bank takes to send one page of a statement.
pub const BANK_LATENCY: Duration = Duration::from_millis(100);

/// How many pages each account's statement has.
pub const PAGES: u32 = 3;

/// How many transactions a page holds.
const PER_PAGE: u32 = 4;

/// The accounts the check imports.
pub const ACCOUNTS: [&str; 3] = ["current", "savings", "business"];

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub id: String,
    pub account: String,
    pub cents: i64,
}

/// The bank's statement API. Simulated: each page takes [`BANK_LATENCY`].
#[derive(Debug, Clone, Default)]
pub struct Bank;

impl Bank {
    /// Page `page` (from 0) of `account`'s statement; `None` after the last page.
    pub async fn statement_page(&self, account: &str, page: u32) -> Option<Vec<Transaction>> {
        tokio::time::sleep(BANK_LATENCY).await;
        (page < PAGES).then(|| {
            (0..PER_PAGE)
                .map(|n| Transaction {
                    id: format!("{account}-{page}-{n}"),
                    account: account.to_owned(),
                    cents: i64::from(page * 100 + n) - 150,
                })
                .collect()
        })
    }
}

/// Why a statement could not be stored.
#[derive(Debug)]
pub struct DbError(String);

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "database error: {}", self.0)
    }
}

impl std::error::Error for DbError {}

type Rows = Arc<Mutex<BTreeMap<String, (String, i64)>>>;

/// The database file. Cheap to clone; [`Database::open`] opens a new connection to it.
#[derive(Debug, Clone, Default)]
pub struct Database {
    rows: Rows,
    opened: Arc<Mutex<usize>>,
}

impl Database {
    /// Opens a connection, as `rusqlite::Connection::open` would.
    pub fn open(&self) -> Connection {
        if let Ok(mut opened) = self.opened.lock() {
            *opened += 1;
        }
        Connection {
            rows: Arc::clone(&self.rows),
            prepared: RefCell::new(Vec::new()),
        }
    }
}

/// A stand-in for an embedded database connection such as `rusqlite::Connection`: `Send`,
/// not `Sync`, for the same reason as rusqlite's (a `RefCell` inside).
#[derive(Debug)]
pub struct Connection {
    rows: Rows,
    /// The statements prepared so far, changed through `&self`: what makes it `!Sync`.
    prepared: RefCell<Vec<String>>,
}

impl Connection {
    /// Stores one transaction. Synchronous, like every call of an embedded database.
    /// Inserting the same transaction id twice is an error (the id is the primary key).
    pub fn insert(&self, txn: &Transaction) -> Result<(), DbError> {
        const SQL: &str = "INSERT INTO txns (id, account, cents) VALUES (?1, ?2, ?3)";
        {
            let mut prepared = self.prepared.borrow_mut();
            if !prepared.iter().any(|s| s == SQL) {
                prepared.push(SQL.to_owned());
            }
        }
        let mut rows = self
            .rows
            .lock()
            .map_err(|_| DbError("the database file is corrupt".into()))?;
        if rows.contains_key(&txn.id) {
            return Err(DbError(format!(
                "UNIQUE constraint failed: txns.id ({})",
                txn.id
            )));
        }
        rows.insert(txn.id.clone(), (txn.account.clone(), txn.cents));
        Ok(())
    }
}

/// Checks an importer and ends the process with the verdict.
///
/// `import` receives the database, the bank and the accounts, and returns a future that
/// imports every account's statement and ends when all are stored, with how many
/// transactions it stored. The accounts are imported side by side: all of them in little
/// more time than one account takes.
pub fn check<F, Fut>(import: F) -> !
where
    F: FnOnce(Database, Bank, Vec<String>) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    harness::run("statement import", async move {
        let db = Database::default();
        let accounts = ACCOUNTS.iter().map(|a| (*a).to_owned()).collect();
        let (stored, elapsed) = timed(import(db.clone(), Bank, accounts)).await;
        let stored = stored.map_err(|err| Failure::new(format!("the import failed: {err:#}")))?;

        let expected = ACCOUNTS.len() * (PAGES * PER_PAGE) as usize;
        let rows = db.rows.lock().map(|r| r.clone()).unwrap_or_default();
        ensure(rows.len() == expected, || {
            format!(
                "the database holds {} transactions; the statements have {expected}",
                rows.len()
            )
        })?;
        ensure(stored == expected, || {
            format!("the import says it stored {stored} transactions, but it stored {expected}")
        })?;
        // Each account asks for its pages one after the other, plus one request that
        // finds no more pages.
        let one_account = BANK_LATENCY * (PAGES + 1);
        ensure(elapsed <= one_account + BANK_LATENCY / 2, || {
            format!(
                "{} accounts took {:.1}× the time of one; imported side by side they take 1×",
                ACCOUNTS.len(),
                times(elapsed, one_account)
            )
        })
    })
}
