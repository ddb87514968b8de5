// # The aggregator with a RefCell
//
// Story: another take on the metrics pipeline: one task receives the samples and, once a
// second, sends what it has to the backend, forgetting the samples only once the backend
// has them. Since it all happens in one task, its author kept the pending samples in a
// `RefCell` so that every method could take `&self`.
//
// What is wrong: it does not compile. The spawned future "cannot be sent between threads
// safely", and there is no lock in sight.
//
// What to do: make the aggregator spawnable, still clearing the samples only after the
// send. Only `Aggregator` and its methods need to change.
//
// Book: "Rc, Cell and RefCell" (src/other/rc-refcell.md).

use std::cell::RefCell;

use checker::metrics::{FLUSH_EVERY, Sample, Samples, Sink};

// ANCHOR: aggregator
/// Collects samples and sends them to the backend in batches.
struct Aggregator {
    pending: RefCell<Vec<Sample>>,
    sink: Sink,
}

impl Aggregator {
    fn add(&self, sample: Sample) {
        self.pending.borrow_mut().push(sample);
    }

    /// Sends the pending samples, and forgets them once the backend has them.
    async fn flush(&self) {
        let mut pending = self.pending.borrow_mut();
        self.sink.send(pending.clone()).await;
        pending.clear();
    }

    async fn run(self, mut samples: Samples) {
        let mut ticker = tokio::time::interval(FLUSH_EVERY);
        loop {
            tokio::select! {
                sample = samples.recv() => match sample {
                    Some(sample) => self.add(sample),
                    None => return,
                },
                _ = ticker.tick() => self.flush().await,
            }
        }
    }
}
// ANCHOR_END: aggregator

// ANCHOR: start
fn start(samples: Samples, sink: Sink) {
    let aggregator = Aggregator {
        pending: RefCell::new(Vec::new()),
        sink,
    };
    tokio::spawn(aggregator.run(samples));
}
// ANCHOR_END: start

// ---------------------------------------------------------------------------------------
// The checker's part: it reports samples and checks what reached the backend. No need to
// change it.

fn main() {
    checker::metrics::check(start);
}
