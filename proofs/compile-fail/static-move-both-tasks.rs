// Claim: the compiler's suggestion for exercise 22, adding `move` to the first `async`
// block, does not compile either. `move` moves `pending` (the `Arc`) into the first task,
// and the second task, which needs it too, then uses a moved value (E0382). Each task
// needs an `Arc` of its own: solutions/metrics-spawn-not-move.rs clones one first.
//
// Book: "'static is not Send" (src/traps/static-is-not-send.md).

use std::sync::{Arc, Mutex};

use checker::metrics::{FLUSH_EVERY, Sample, Samples, Sink};

/// The samples received since the last flush.
type Pending = Arc<Mutex<Vec<Sample>>>;

// ANCHOR: start
fn start(mut samples: Samples, sink: Sink) {
    let pending = Pending::default();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(FLUSH_EVERY);
        loop {
            ticker.tick().await;
            let batch: Vec<Sample> = pending.lock().unwrap().drain(..).collect();
            sink.send(batch).await;
        }
    });
    tokio::spawn(async move {
        while let Some(sample) = samples.recv().await {
            pending.lock().unwrap().push(sample);
        }
    });
}
// ANCHOR_END: start

fn main() {
    checker::metrics::check(start);
}
