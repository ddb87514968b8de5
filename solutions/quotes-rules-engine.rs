// # The rules engine that could not travel
//
// Story: a shop quotes prices in its customers' currencies. The price rules are evaluated
// by an engine from another crate (here `checker::quotes::RuleEngine`, a stand-in with the
// same shape as engines that embed a script interpreter), and the exchange rate comes from
// a service. The quote service keeps both in one struct and answers each request in a
// task of its own. (Real reports of this shape: https://github.com/gorules/zen/issues/127,
// https://github.com/rune-rs/rune/issues/912, https://github.com/mlua-rs/mlua/issues/69.)
//
// What is wrong: it does not compile. The engine is not `Send`, and it is not ours to
// change.
//
// What to do: make it compile, with one engine for the whole service and the requests
// still answered side by side. Read the checker's part: the service's `main` runs it
// inside a `LocalSet`.
//
// Book: "Foreign values that must stay on one thread" (src/culprits/foreign-one-thread.md).

use std::rc::Rc;

use checker::quotes::{Inbox, Rates, RuleEngine};

// ANCHOR: service
/// Everything a quote needs.
struct QuoteService {
    engine: RuleEngine,
    rates: Rates,
}

impl QuoteService {
    /// The price of `quantity` times `sku`, in cents of `currency`.
    async fn quote(&self, sku: &str, quantity: u32, currency: &str) -> Option<u64> {
        let per_mille = self.rates.per_mille(currency).await?;
        let cents = self.engine.price(sku, quantity)?;
        Some(cents * per_mille / 1000)
    }
}
// ANCHOR_END: service

// ANCHOR: start
/// Starts answering the requests that arrive in `inbox`, each in a task of its own. The
/// tasks are local: they stay on the thread of the `LocalSet` that runs them, and so does
/// the engine, which they share through an `Rc`.
fn start(engine: RuleEngine, rates: Rates, mut inbox: Inbox) {
    let service = Rc::new(QuoteService { engine, rates });
    tokio::task::spawn_local(async move {
        while let Some(request) = inbox.recv().await {
            let service = Rc::clone(&service);
            tokio::task::spawn_local(async move {
                let price = service
                    .quote(&request.sku, request.quantity, &request.currency)
                    .await;
                request.answer(price);
            });
        }
    });
}
// ANCHOR_END: start

// ---------------------------------------------------------------------------------------
// The checker's part: it runs the service inside a `LocalSet`, on the runtime's one
// thread, as the service's `main` does, and asks for quotes. No need to change it.

fn main() {
    checker::quotes::check(start);
}
