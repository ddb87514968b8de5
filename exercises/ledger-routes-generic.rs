// # The routes that trusted no store
//
// Story: the bank's web app shows account balances. The routes come from a small library
// module, `accounts`, that is generic over where accounts are stored: it defines an
// `AccountStore` trait with an `async fn`, and the app implements it for the ledger
// service's client, which is `Send`, `Sync` and `Clone`. (The same shape in real code:
// https://github.com/Azure/azure-sdk-for-rust/issues/1796, a client trait with `async fn`,
// and https://github.com/rust-lang/rust/issues/103854.)
//
// What is wrong: it does not compile. axum refuses the handler `balance::<S>`, and the
// app's implementation of the trait is not the problem.
//
// What to do: make it compile. Keep `accounts` generic: it is a library, and it cannot
// know which store an app will plug in.
//
// Book: "Async functions in traits" (src/culprits/async-traits.md).

use checker::balances::Ledger;

// ANCHOR: library
mod accounts {
    use axum::Router;
    use axum::extract::{Path, State};
    use axum::http::StatusCode;
    use axum::routing::get;

    /// Where an app keeps its accounts.
    pub trait AccountStore: Clone + Send + Sync + 'static {
        /// The balance of `account` in cents, or `None` if there is no such account.
        async fn balance(&self, account: &str) -> Option<u64>;
    }

    async fn balance<S: AccountStore>(
        State(store): State<S>,
        Path(account): Path<String>,
    ) -> Result<String, StatusCode> {
        let cents = store.balance(&account).await.ok_or(StatusCode::NOT_FOUND)?;
        Ok(cents.to_string())
    }

    /// The account routes, for any store.
    pub fn routes<S: AccountStore>(store: S) -> Router {
        Router::new()
            .route("/accounts/{id}/balance", get(balance::<S>))
            .with_state(store)
    }
}
// ANCHOR_END: library

// ANCHOR: app
/// The app's store: the ledger service.
#[derive(Clone)]
struct LedgerStore(Ledger);

impl accounts::AccountStore for LedgerStore {
    async fn balance(&self, account: &str) -> Option<u64> {
        self.0.balance_cents(account).await
    }
}
// ANCHOR_END: app

// ---------------------------------------------------------------------------------------
// The checker's part: it builds the app and checks what it does. No need to change it.

fn main() {
    checker::balances::check(|ledger| accounts::routes(LedgerStore(ledger)));
}
