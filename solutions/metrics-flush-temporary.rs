// # The flush that never let go
//
// Story: the app's handlers report metrics samples, and a pipeline passes them on to the
// metrics backend in batches, once a second. One task collects the samples into a shared
// buffer; another wakes every second and sends the buffer's contents.
//
// What is wrong: it does not compile. The flushing task's future "cannot be sent between
// threads safely", yet no guard is ever given a name.
//
// What to do: send each batch without holding the buffer's lock during the send. Only
// `flush_every_second` needs to change.
//
// Book: "Temporaries and scrutinees" (src/traps/temporaries.md).

use std::sync::{Arc, Mutex};

use checker::metrics::{FLUSH_EVERY, Sample, Samples, Sink};

// ANCHOR: pipeline
/// The samples received since the last flush.
type Pending = Arc<Mutex<Vec<Sample>>>;

fn start(mut samples: Samples, sink: Sink) {
    let pending = Pending::default();
    tokio::spawn(flush_every_second(Arc::clone(&pending), sink));
    tokio::spawn(async move {
        while let Some(sample) = samples.recv().await {
            pending.lock().unwrap().push(sample);
        }
    });
}

async fn flush_every_second(pending: Pending, sink: Sink) {
    let mut ticker = tokio::time::interval(FLUSH_EVERY);
    loop {
        ticker.tick().await;
        // A temporary lives until the end of its statement, and the statement that
        // contained the lock also contained the `.await`. Take the batch in a statement
        // of its own: the guard dies at its `;`.
        let batch: Vec<Sample> = pending.lock().unwrap().drain(..).collect();
        sink.send(batch).await;
    }
}
// ANCHOR_END: pipeline

// ---------------------------------------------------------------------------------------
// The checker's part: it reports samples and checks what reached the backend. No need to
// change it.

fn main() {
    checker::metrics::check(start);
}
