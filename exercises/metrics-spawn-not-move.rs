// # The task that borrowed
//
// Story: the metrics pipeline of exercise `metrics-flush-temporary`, fixed, then made shorter: the flushing loop
// now sits right in `start`, in an `async` block handed to `tokio::spawn`, and uses the
// buffer and the backend that `start` already has.
//
// What is wrong: it does not compile, and this time the error is not "future cannot be
// sent between threads safely": it says the async block "may outlive the current
// function". Nothing in it is `!Send`.
//
// What to do: give each task what it uses, for as long as it runs. Only `start` needs to
// change.
//
// Book: "'static is not Send" (src/traps/static-is-not-send.md).

use std::sync::{Arc, Mutex};

use checker::metrics::{FLUSH_EVERY, Sample, Samples, Sink};

// ANCHOR: pipeline
/// The samples received since the last flush.
type Pending = Arc<Mutex<Vec<Sample>>>;

fn start(mut samples: Samples, sink: Sink) {
    let pending = Pending::default();
    tokio::spawn(async {
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
// ANCHOR_END: pipeline

// ---------------------------------------------------------------------------------------
// The checker's part: it reports samples and checks what reached the backend. No need to
// change it.

fn main() {
    checker::metrics::check(start);
}
