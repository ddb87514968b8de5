//! The price-cache warmer (exercise `price-warmer-cell`).
//!
//! The shop's product pages read prices from an in-memory [`PriceCache`], never from the
//! slow pricing service itself. A background task, the warmer, keeps the cache warm: every
//! [`REFRESH_EVERY`] it asks the [`PriceFeed`] for the price of each hot product and writes
//! it into the cache, stamped with the number of the round that fetched it, so that a page
//! can tell how fresh a price is.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::harness::{self, Failure, ensure};

/// How often the warmer refreshes the cache.
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);

/// How long the pricing service takes to quote one product.
pub const PRICE_LATENCY: Duration = Duration::from_millis(50);

/// The products whose prices the warmer keeps fresh.
pub const HOT_PRODUCTS: [&str; 3] = ["kettle", "teapot", "mug"];

/// A price as the cache keeps it: the amount, and which refresh round fetched it (the
/// first round is 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priced {
    pub cents: u64,
    pub round: u64,
}

/// The cache that product pages read, by product name. Shared with the page handlers,
/// which run on other threads.
pub type PriceCache = Arc<Mutex<HashMap<String, Priced>>>;

/// The pricing service. Simulated: a quote takes [`PRICE_LATENCY`], and prices go up by
/// one cent every second (inflation is fast in this shop).
#[derive(Debug, Clone)]
pub struct PriceFeed {
    start: Instant,
    quotes: Arc<Mutex<usize>>,
}

impl PriceFeed {
    /// The current price of `product`, in cents.
    pub async fn price(&self, product: &str) -> u64 {
        tokio::time::sleep(PRICE_LATENCY).await;
        if let Ok(mut quotes) = self.quotes.lock() {
            *quotes += 1;
        }
        base_price(product) + self.start.elapsed().as_secs()
    }
}

fn base_price(product: &str) -> u64 {
    100 * product.len() as u64
}

/// Checks a warmer and ends the process with the verdict.
///
/// `start` receives the pricing service and the cache, spawns the warmer (which refreshes
/// at once, then every [`REFRESH_EVERY`]) and returns its handle. After three refreshes
/// every hot product must be in the cache with the price of the third round.
pub fn check<F>(start: F) -> !
where
    F: FnOnce(PriceFeed, PriceCache) -> JoinHandle<()>,
{
    harness::run("price-cache warmer", async move {
        let feed = PriceFeed {
            start: Instant::now(),
            quotes: Arc::default(),
        };
        let quotes = Arc::clone(&feed.quotes);
        let cache = PriceCache::default();
        let warmer = start(feed, Arc::clone(&cache));

        // Rounds start at 0 s, 1 s and 2 s; the third is done well before 2.5 s.
        tokio::time::sleep(REFRESH_EVERY * 2 + REFRESH_EVERY / 2).await;
        ensure(!warmer.is_finished(), || {
            "the warmer stopped: it should keep refreshing for as long as the shop runs".into()
        })?;
        warmer.abort();

        let cache = cache
            .lock()
            .map(|c| c.clone())
            .map_err(|_| Failure::new("the price cache is poisoned"))?;
        for product in HOT_PRODUCTS {
            let Some(priced) = cache.get(product) else {
                return Err(Failure::new(format!(
                    "after three refreshes the cache has no price for {product:?}"
                )));
            };
            ensure(priced.round == 3, || {
                format!(
                    "after three refreshes the price of {product:?} is stamped with round {} \
                     instead of 3",
                    priced.round
                )
            })?;
            let expected = base_price(product) + 2;
            ensure(priced.cents == expected, || {
                format!(
                    "the cache says {product:?} costs {} cents, but the third round was quoted \
                     {expected}",
                    priced.cents
                )
            })?;
        }
        let quotes = quotes.lock().map(|q| *q).unwrap_or_default();
        ensure(quotes == 3 * HOT_PRODUCTS.len(), || {
            format!(
                "three refreshes of {} products should ask for {} quotes, not {quotes}",
                HOT_PRODUCTS.len(),
                3 * HOT_PRODUCTS.len()
            )
        })
    })
}
