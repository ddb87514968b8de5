// # The warmer that counted its rounds
//
// Story: the shop's product pages read prices from a cache, never from the slow pricing
// service. A background task keeps the cache warm: every second it fetches the price of
// each hot product and stamps it with the number of the round, so that a page can tell how
// fresh a price is. The warmer counts its rounds in a `Cell`, since only its own task ever
// touches it. (Real reports of this shape: phillord/horned-owl#149, a server whose `&self`
// methods reached a `RefCell`; fluffysquirrels/mqtt-async-client-rs#2, a client with a
// `RefCell` inside, borrowed by a stream that had to be `Send`.)
//
// What is wrong: it does not compile. The spawned task "cannot be sent between threads
// safely", and the value the error names is a plain shared reference.
//
// What to do: make it compile, keeping the round numbers.
//
// Book: "References to values that are not Sync" (src/culprits/not-sync-refs.md).

use std::cell::Cell;

use checker::warmer::{HOT_PRODUCTS, PriceCache, PriceFeed, Priced, REFRESH_EVERY};
use tokio::task::JoinHandle;

// ANCHOR: warmer
struct Warmer {
    feed: PriceFeed,
    cache: PriceCache,
    products: Vec<String>,
    /// How many refreshes have started. Only the warmer's own task touches it.
    rounds: Cell<u64>,
}

impl Warmer {
    async fn refresh(&self) {
        let round = self.rounds.get() + 1;
        self.rounds.set(round);
        for product in &self.products {
            let cents = self.feed.price(product).await;
            let priced = Priced { cents, round };
            self.cache.lock().unwrap().insert(product.clone(), priced);
        }
    }

    async fn run(self) {
        let mut every = tokio::time::interval(REFRESH_EVERY);
        loop {
            every.tick().await;
            self.refresh().await;
        }
    }
}
// ANCHOR_END: warmer

// The wrong fix: the compiler wants `Warmer: Sync`, so promise it. It compiles, and the
// `Cell` is still not safe to share; the checker refuses the promise.
unsafe impl Sync for Warmer {}

// ANCHOR: start
fn start(feed: PriceFeed, cache: PriceCache) -> JoinHandle<()> {
    let warmer = Warmer {
        feed,
        cache,
        products: HOT_PRODUCTS.iter().map(|p| p.to_string()).collect(),
        rounds: Cell::new(0),
    };
    tokio::spawn(warmer.run())
}
// ANCHOR_END: start

// ---------------------------------------------------------------------------------------
// The checker's part: it starts the warmer and checks what it does. No need to change it.

fn main() {
    checker::warmer::check(start);
}
