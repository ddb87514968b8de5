//! Measures how much (virtual) time a group of concurrent requests takes.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// Runs `work` and returns its output with the time it took on tokio's clock. Under the
/// harness the clock is paused and jumps from timer to timer, so the result is exact: a
/// request that waits on a 200 ms downstream takes exactly 200 ms, however busy the machine.
pub async fn timed<F: Future>(work: F) -> (F::Output, Duration) {
    let start = Instant::now();
    let output = work.await;
    (output, start.elapsed())
}

/// How many times longer than `unit` the `elapsed` time was, for messages like "8 requests
/// took 8.0× the downstream latency".
pub fn times(elapsed: Duration, unit: Duration) -> f64 {
    elapsed.as_secs_f64() / unit.as_secs_f64()
}
