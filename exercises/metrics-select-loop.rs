// # The lock taken once, for good
//
// Story: the metrics pipeline now keeps a running total per metric, which the app's
// `/metrics` page reads from another thread, and once a second it sends a snapshot of the
// totals to the backend. Samples arrive by the thousand, so its author locks the totals
// once, before the loop, instead of once per sample.
//
// What is wrong: it does not compile. The spawned future "cannot be sent between threads
// safely". (Had it compiled, the `/metrics` page would have waited forever.)
//
// What to do: keep the totals up to date and the snapshots going, holding the lock only
// while a sample is added or a snapshot taken. Only `aggregate` needs to change.
//
// Book: "Loops and select!" (src/traps/loops-select.md).

use checker::metrics::{FLUSH_EVERY, Samples, Sink, Totals, snapshot};

// ANCHOR: aggregate
async fn aggregate(mut samples: Samples, sink: Sink, totals: Totals) {
    let mut ticker = tokio::time::interval(FLUSH_EVERY);
    // Lock once, not once per sample.
    let mut counts = totals.lock().unwrap();
    loop {
        tokio::select! {
            sample = samples.recv() => match sample {
                Some(sample) => *counts.entry(sample.name).or_default() += sample.value,
                None => return,
            },
            _ = ticker.tick() => sink.send(snapshot(&counts)).await,
        }
    }
}
// ANCHOR_END: aggregate

fn start(samples: Samples, sink: Sink, totals: Totals) {
    tokio::spawn(aggregate(samples, sink, totals));
}

// ---------------------------------------------------------------------------------------
// The checker's part: it reports samples and reads the totals. No need to change it.

fn main() {
    checker::metrics::check_totals(start);
}
