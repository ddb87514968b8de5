//! The quote service (the exercise `quotes-rules-engine`).
//!
//! A shop quotes prices in its customers' currencies. The price rules are written in a
//! small scripting language and evaluated by a [`RuleEngine`]; the exchange rates come from
//! [`Rates`], a service that answers after [`RATE_LATENCY`]. Requests arrive in an
//! [`Inbox`], and each is answered on its own [`QuoteRequest`].
//!
//! [`RuleEngine`] is a **stand-in** for a type from another crate that embeds an
//! interpreter (an engine built on QuickJS, Lua or Rhai, say): like many of them it keeps
//! its interpreter's state behind an `Rc<RefCell<…>>`, so it is neither `Send` nor `Sync`,
//! and it cannot be changed by the app that uses it. The service's `main` runs its tasks
//! on a `LocalSet`, as the check does.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::join_all;
use tokio::sync::{mpsc, oneshot};
use tokio::task::LocalSet;

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long the exchange-rate service takes to answer.
pub const RATE_LATENCY: Duration = Duration::from_millis(100);

/// The interpreter's state: the compiled rules.
#[derive(Debug)]
struct Interpreter {
    list_prices: HashMap<&'static str, u64>,
    evaluations: Arc<AtomicUsize>,
}

/// How many times the rules were compiled, in this process.
static COMPILATIONS: AtomicUsize = AtomicUsize::new(0);

/// The shop's pricing rules, compiled once at start-up (a stand-in: see the module's
/// documentation). Neither `Send` nor `Sync`, and not `Clone`.
#[derive(Debug)]
pub struct RuleEngine {
    interpreter: Rc<RefCell<Interpreter>>,
}

impl RuleEngine {
    /// Compiles the shop's rules. In a real engine that is the slow part, done once at
    /// start-up.
    pub fn compile() -> Self {
        Self::compile_counting(Arc::default())
    }

    fn compile_counting(evaluations: Arc<AtomicUsize>) -> Self {
        COMPILATIONS.fetch_add(1, Ordering::SeqCst);
        let list_prices = HashMap::from([("mug", 1200), ("poster", 2500), ("tee", 1800)]);
        RuleEngine {
            interpreter: Rc::new(RefCell::new(Interpreter {
                list_prices,
                evaluations,
            })),
        }
    }

    /// The price of `quantity` times `sku` in euro cents, with the volume discount (10%
    /// from ten items), or `None` for an unknown product.
    pub fn price(&self, sku: &str, quantity: u32) -> Option<u64> {
        let interpreter = self.interpreter.borrow();
        interpreter.evaluations.fetch_add(1, Ordering::SeqCst);
        let total = interpreter.list_prices.get(sku)? * u64::from(quantity);
        Some(if quantity >= 10 {
            total * 9 / 10
        } else {
            total
        })
    }
}

/// A client for the exchange-rate service. Simulated; `Send`, `Sync`, cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Rates {
    _private: (),
}

impl Rates {
    /// How many units of `currency` a thousand euros buy, divided by a thousand (per
    /// mille), after [`RATE_LATENCY`]; `None` for a currency it does not quote.
    pub async fn per_mille(&self, currency: &str) -> Option<u64> {
        tokio::time::sleep(RATE_LATENCY).await;
        match currency {
            "EUR" => Some(1000),
            "USD" => Some(1100),
            "CHF" => Some(950),
            _ => None,
        }
    }
}

/// A customer's request for a quote, with the way to answer it.
#[derive(Debug)]
pub struct QuoteRequest {
    pub sku: String,
    pub quantity: u32,
    pub currency: String,
    answer: oneshot::Sender<Option<u64>>,
}

impl QuoteRequest {
    /// Answers with the price in cents of the request's currency, or `None` if it
    /// cannot be quoted.
    pub fn answer(self, price: Option<u64>) {
        let _ = self.answer.send(price);
    }
}

/// Where quote requests arrive.
#[derive(Debug)]
pub struct Inbox(mpsc::Receiver<QuoteRequest>);

impl Inbox {
    /// The next request, or `None` once the shop closes.
    pub async fn recv(&mut self) -> Option<QuoteRequest> {
        self.0.recv().await
    }
}

/// Checks the quote service and ends the process with the verdict.
///
/// `start` receives the compiled rules, the rates client and the inbox, and starts the
/// service in the background. It is called inside a `LocalSet` (on the runtime's one
/// thread), as the service's `main` does. Six customers then ask at once, and each must
/// get the right price, all in about one exchange-rate round trip.
pub fn check(start: impl FnOnce(RuleEngine, Rates, Inbox)) -> ! {
    harness::run("quote service", async move {
        LocalSet::new()
            .run_until(async move {
                let evaluations = Arc::new(AtomicUsize::new(0));
                let engine = RuleEngine::compile_counting(Arc::clone(&evaluations));
                let (requests, inbox) = mpsc::channel(16);
                start(engine, Rates::default(), Inbox(inbox));

                let cases = [
                    ("mug", 2, "EUR", Some(2400)),
                    ("mug", 2, "USD", Some(2640)),
                    ("poster", 1, "CHF", Some(2375)),
                    ("tee", 10, "EUR", Some(16200)),
                    ("kettle", 1, "EUR", None),
                    ("tee", 1, "JPY", None),
                ];
                let asks = cases.iter().map(|(sku, quantity, currency, _)| {
                    let requests = requests.clone();
                    async move {
                        let (answer, answered) = oneshot::channel();
                        let request = QuoteRequest {
                            sku: (*sku).into(),
                            quantity: *quantity,
                            currency: (*currency).into(),
                            answer,
                        };
                        requests
                            .send(request)
                            .await
                            .map_err(|_| Failure::new("the service stopped reading its inbox"))?;
                        answered.await.map_err(|_| {
                            Failure::new(format!(
                                "the request for {quantity} {sku} in {currency} was dropped \
                                 without an answer"
                            ))
                        })
                    }
                });
                let (answers, elapsed) = timed(join_all(asks)).await;
                for ((sku, quantity, currency, expected), answer) in cases.iter().zip(answers) {
                    let answer = answer?;
                    ensure(answer == *expected, || {
                        format!(
                            "{quantity} {sku} in {currency} should be quoted {expected:?}, \
                             but the answer was {answer:?}"
                        )
                    })?;
                }
                ensure(elapsed < RATE_LATENCY * 2, || {
                    format!(
                        "6 quotes asked for at once took {:.1}× the exchange-rate latency \
                         instead of about 1×: the requests were answered one after another",
                        times(elapsed, RATE_LATENCY)
                    )
                })?;
                let compilations = COMPILATIONS.load(Ordering::SeqCst);
                ensure(compilations == 1, || {
                    format!(
                        "the rules were compiled {compilations} times: compile them once, at \
                         start-up, and use that one engine for every quote"
                    )
                })?;
                let evaluations = evaluations.load(Ordering::SeqCst);
                ensure(evaluations >= 4, || {
                    format!(
                        "the service's engine priced {evaluations} of the 4 requests that can \
                         be quoted"
                    )
                })
            })
            .await
    })
}
