//! The metrics pipeline (exercises 10, 17, 22 and 24).
//!
//! The app's handlers report [`Sample`]s (a metric's name and a value) as they work; the
//! pipeline receives them from [`Samples`] and passes them on to the metrics backend, the
//! [`Sink`], in batches: one send every [`FLUSH_EVERY`], because each send is a network
//! round trip of [`SINK_LATENCY`]. Exercise 24 also keeps a running total per metric, which
//! the app's `/metrics` page reads from another thread.
//!
//! Every check calls the exercise's `start` once, inside the runtime, and expects it to
//! spawn whatever background tasks the pipeline needs and return.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::harness::{self, Failure, ensure};

/// How often the pipeline sends what it has to the backend.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// How long one send to the backend takes.
pub const SINK_LATENCY: Duration = Duration::from_millis(100);

/// One measurement: `requests 1`, `bytes_out 5120`, …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub name: String,
    pub value: u64,
}

fn sample(name: &str, value: u64) -> Sample {
    Sample {
        name: name.to_owned(),
        value,
    }
}

/// The samples the app's handlers report, in the order they happen.
#[derive(Debug)]
pub struct Samples {
    receiver: mpsc::UnboundedReceiver<Sample>,
}

impl Samples {
    /// Waits for the next sample; `None` once the app is shutting down.
    pub async fn recv(&mut self) -> Option<Sample> {
        self.receiver.recv().await
    }
}

/// Each batch the backend received, with when it arrived (since the check started).
type Received = Arc<Mutex<Vec<(Duration, Vec<Sample>)>>>;

/// The metrics backend. Simulated: a send takes [`SINK_LATENCY`], and the backend keeps
/// every non-empty batch with the time it arrived.
#[derive(Clone, Debug)]
pub struct Sink {
    received: Received,
    start: Instant,
}

impl Sink {
    fn new() -> Self {
        Sink {
            received: Arc::default(),
            start: Instant::now(),
        }
    }

    /// Sends a batch of samples to the backend. An empty batch is not worth a round trip,
    /// and the backend ignores it.
    pub async fn send(&self, batch: Vec<Sample>) {
        if batch.is_empty() {
            return;
        }
        tokio::time::sleep(SINK_LATENCY).await;
        let arrived = self.start.elapsed();
        if let Ok(mut received) = self.received.lock() {
            received.push((arrived, batch));
        }
    }

    fn received(&self) -> Vec<(Duration, Vec<Sample>)> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

fn pipeline() -> (mpsc::UnboundedSender<Sample>, Samples, Sink) {
    let (sender, receiver) = mpsc::unbounded_channel();
    (sender, Samples { receiver }, Sink::new())
}

fn report(sender: &mpsc::UnboundedSender<Sample>, samples: &[Sample]) -> Result<(), Failure> {
    for sample in samples {
        sender
            .send(sample.clone())
            .map_err(|_| Failure::new("the pipeline stopped receiving samples"))?;
    }
    Ok(())
}

/// Waits until `at` after the check's start.
async fn until(start: Instant, at: Duration) {
    tokio::time::sleep_until(start + at).await;
}

/// Checks a batching pipeline and ends the process with the verdict.
///
/// `start` receives the samples and the backend; it must start the pipeline (spawning the
/// tasks it needs) and return. The pipeline must send every sample to the backend exactly
/// once, in batches, at most one send every [`FLUSH_EVERY`].
pub fn check(start: impl FnOnce(Samples, Sink)) -> ! {
    harness::run("metrics pipeline", async move {
        let (sender, samples, sink) = pipeline();
        let began = Instant::now();
        start(samples, sink.clone());

        let first = [
            sample("requests", 1),
            sample("requests", 1),
            sample("bytes_out", 5120),
        ];
        let second = [sample("requests", 1)];
        until(began, Duration::from_millis(10)).await;
        report(&sender, &first)?;
        // While the first batch is on its way to the backend.
        until(began, FLUSH_EVERY + SINK_LATENCY / 2).await;
        report(&sender, &second)?;
        until(began, FLUSH_EVERY * 2 + SINK_LATENCY * 3).await;

        let received = sink.received();
        let sent: Vec<Sample> = received.iter().flat_map(|(_, b)| b.clone()).collect();
        let expected: Vec<Sample> = first.iter().chain(&second).cloned().collect();
        ensure(sent == expected, || {
            format!(
                "the backend should have received each sample once, in order: {expected:?}, \
                 but received {sent:?}"
            )
        })?;
        let times: Vec<u128> = received.iter().map(|(t, _)| t.as_millis()).collect();
        ensure(received.len() == 2, || {
            format!(
                "the samples should reach the backend in two batches, one per flush interval \
                 of {} ms, but they came in {} sends (at {times:?} ms)",
                FLUSH_EVERY.as_millis(),
                received.len()
            )
        })?;
        let spaced = received
            .windows(2)
            .all(|pair| pair[1].0 - pair[0].0 >= FLUSH_EVERY);
        ensure(spaced, || {
            format!(
                "sends to the backend should be at least {} ms apart, but arrived at {times:?} ms",
                FLUSH_EVERY.as_millis()
            )
        })
    })
}

/// The running total of each metric, by name. The `/metrics` page reads it from another
/// thread, which is why it sits behind a std `Mutex`.
pub type Totals = Arc<Mutex<HashMap<String, u64>>>;

/// The totals as the backend wants them: one sample per metric, sorted by name.
pub fn snapshot(totals: &HashMap<String, u64>) -> Vec<Sample> {
    let sorted: BTreeMap<&String, &u64> = totals.iter().collect();
    sorted
        .into_iter()
        .map(|(name, total)| sample(name, *total))
        .collect()
}

/// Reads the totals the way the `/metrics` page does: from another thread.
fn scrape(totals: &Totals) -> Result<HashMap<String, u64>, Failure> {
    let totals = Arc::clone(totals);
    std::thread::spawn(move || totals.lock().map(|t| t.clone()).ok())
        .join()
        .map_err(|_| Failure::new("the /metrics page's thread panicked"))?
        .ok_or_else(|| Failure::new("the totals are poisoned"))
}

/// Checks a pipeline that keeps running totals, and ends the process with the verdict.
///
/// `start` receives the samples, the backend and the totals; it must start the pipeline
/// and return. The pipeline adds each sample's value to its metric's total as it arrives,
/// and sends a [`snapshot`] of the totals to the backend every [`FLUSH_EVERY`].
pub fn check_totals(start: impl FnOnce(Samples, Sink, Totals)) -> ! {
    harness::run("metrics totals", async move {
        let (sender, samples, sink) = pipeline();
        let totals = Totals::default();
        let began = Instant::now();
        start(samples, sink.clone(), Arc::clone(&totals));

        until(began, Duration::from_millis(10)).await;
        report(
            &sender,
            &[
                sample("requests", 1),
                sample("requests", 1),
                sample("errors", 1),
            ],
        )?;
        until(began, FLUSH_EVERY / 2).await;
        let seen = scrape(&totals)?;
        let expected = HashMap::from([("requests".to_owned(), 2), ("errors".to_owned(), 1)]);
        ensure(seen == expected, || {
            format!("the /metrics page should show the totals {expected:?}, but showed {seen:?}")
        })?;

        // While the first snapshot is on its way to the backend.
        until(began, FLUSH_EVERY + SINK_LATENCY / 2).await;
        report(&sender, &[sample("requests", 5)])?;
        until(began, FLUSH_EVERY + SINK_LATENCY * 2).await;
        let seen = scrape(&totals)?;
        ensure(seen.get("requests") == Some(&7), || {
            format!("after 5 more requests the /metrics page should show 7, but showed {seen:?}")
        })?;

        until(began, FLUSH_EVERY * 2 + SINK_LATENCY * 2).await;
        let received: Vec<Vec<Sample>> = sink.received().into_iter().map(|(_, b)| b).collect();
        let expected = vec![
            vec![sample("errors", 1), sample("requests", 2)],
            vec![sample("errors", 1), sample("requests", 7)],
        ];
        ensure(received == expected, || {
            format!(
                "the backend should receive a snapshot of the totals every {} ms: \
                 {expected:?}, but received {received:?}",
                FLUSH_EVERY.as_millis()
            )
        })
    })
}
