// Claim: a value from another crate that must stay on its thread can still serve tasks on a
// multi-threaded runtime: give it a thread of its own, which creates it and answers requests
// that arrive on a channel. The tasks hold only the channel's sending end, which is `Send`,
// and are spawned with `tokio::spawn`. Here the quote service of
// exercises/quotes-rules-engine.rs is built that way, on two runtime threads.
//
// Book: "Foreign values that must stay on one thread" (src/culprits/foreign-one-thread.md).

use checker::quotes::{Rates, RuleEngine};
use tokio::sync::{mpsc, oneshot};

// ANCHOR: thread
/// A request for the engine's thread: a product, a quantity, and where to send the price.
type Pricing = (String, u32, oneshot::Sender<Option<u64>>);

/// Starts the thread that owns the engine, and returns the way to reach it.
fn start_engine_thread() -> mpsc::Sender<Pricing> {
    let (requests, mut incoming) = mpsc::channel::<Pricing>(64);
    std::thread::spawn(move || {
        let engine = RuleEngine::compile(); // created here, used here, dropped here
        while let Some((sku, quantity, answer)) = incoming.blocking_recv() {
            let _ = answer.send(engine.price(&sku, quantity));
        }
    });
    requests
}

/// What a task calls: it awaits the rate, then the engine's answer.
async fn quote(
    engine: &mpsc::Sender<Pricing>,
    rates: &Rates,
    sku: &str,
    quantity: u32,
    currency: &str,
) -> Option<u64> {
    let per_mille = rates.per_mille(currency).await?;
    let (answer, answered) = oneshot::channel();
    engine.send((sku.to_owned(), quantity, answer)).await.ok()?;
    let cents = answered.await.ok()??;
    Some(cents * per_mille / 1000)
}
// ANCHOR_END: thread

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let engine = start_engine_thread();
    let rates = Rates::default();
    let cases = [
        ("mug", 2, "USD", Some(2640)),
        ("tee", 10, "EUR", Some(16200)),
        ("kettle", 1, "EUR", None),
    ];
    let mut tasks = Vec::new();
    for (sku, quantity, currency, expected) in cases {
        let (engine, rates) = (engine.clone(), rates.clone());
        // ANCHOR: spawn
        tasks.push(tokio::spawn(async move {
            let price = quote(&engine, &rates, sku, quantity, currency).await;
            assert_eq!(price, expected, "{quantity} {sku} in {currency}");
        }));
        // ANCHOR_END: spawn
    }
    for task in tasks {
        task.await.unwrap();
    }
}
