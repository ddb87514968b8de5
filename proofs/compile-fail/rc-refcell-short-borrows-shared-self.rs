// Claim: in exercise 17, ending the `RefCell` borrow before the `.await` is not enough. With
// short borrows only (clone the samples, send, then clear), the future of `run` still holds
// `&Aggregator` across the send, inside `flush(&self)`; `&Aggregator` is `Send` only if
// `Aggregator` is `Sync`, and a `RefCell` is not `Sync`. The error that remains is the one
// about `&Aggregator`.
//
// Book: "Rc, Cell and RefCell" (src/other/rc-refcell.md).

use std::cell::RefCell;

use checker::metrics::{FLUSH_EVERY, Sample, Samples, Sink};

struct Aggregator {
    pending: RefCell<Vec<Sample>>,
    sink: Sink,
}

impl Aggregator {
    fn add(&self, sample: Sample) {
        self.pending.borrow_mut().push(sample);
    }

    // ANCHOR: flush
    async fn flush(&self) {
        let batch = self.pending.borrow().clone(); // the borrow ends at the `;`
        self.sink.send(batch).await;
        self.pending.borrow_mut().clear();
    }
    // ANCHOR_END: flush

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

fn start(samples: Samples, sink: Sink) {
    let aggregator = Aggregator {
        pending: RefCell::new(Vec::new()),
        sink,
    };
    tokio::spawn(aggregator.run(samples));
}

fn main() {
    checker::metrics::check(start);
}
