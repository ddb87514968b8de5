// # The export worker that could not trust its store
//
// Story: every night the reporting service exports each customer's report. The worker is
// generic over where reports are stored, through a small `ReportStore` trait with an
// `async fn`, so that production uses object storage and the tests an in-memory map. Each
// job runs in a task of its own. (Real reports of this shape:
// https://github.com/rust-lang/rust/issues/103854, https://github.com/google/tarpc/issues/421,
// https://github.com/Azure/azure-sdk-for-rust/issues/1796.)
//
// What is wrong: it does not compile. The task's future "cannot be sent between threads
// safely": it awaits the future of `store.load(..)`. Yet the object store's implementation
// of `load` is perfectly `Send`.
//
// What to do: make it compile, keeping the trait and the generic worker.
//
// Book: "Async functions in traits" (src/culprits/async-traits.md).

use std::sync::Arc;

use checker::exports::{ExportJob, ObjectStore, Outbox, StoreError};

// ANCHOR: trait
/// Where the reports are kept.
trait ReportStore {
    async fn load(&self, key: &str) -> Result<Vec<u8>, StoreError>;
}

impl ReportStore for ObjectStore {
    async fn load(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        self.get_object(key).await
    }
}
// ANCHOR_END: trait

// ANCHOR: worker
/// Exports every job, each in a task of its own, and returns when all are delivered.
///
/// The wrong fix: no generic, so the compiler knows the object store's `load` future, which
/// is `Send`. It compiles, but the worker no longer works with any other store.
async fn run_exports(store: Arc<ObjectStore>, jobs: Vec<ExportJob>, outbox: Outbox) {
    let mut tasks = Vec::new();
    for job in jobs {
        let store = Arc::clone(&store);
        let outbox = outbox.clone();
        tasks.push(tokio::spawn(async move {
            match store.load(&job.key).await {
                Ok(report) => outbox.deliver(job.id, report).await,
                Err(err) => eprintln!("export {} failed: {err}", job.id),
            }
        }));
    }
    for task in tasks {
        task.await.expect("an export task panicked");
    }
}
// ANCHOR_END: worker

// ---------------------------------------------------------------------------------------
// The checker's part: it runs tonight's exports against object storage. No need to change it.

fn main() {
    checker::exports::check(|objects, jobs, outbox| run_exports(Arc::new(objects), jobs, outbox));
}
