// Claim: once the trait promises a `Send` future, the generic worker still needs its own
// bounds for what the task carries. The task owns an `Arc<S>`, and an `Arc<S>` is `Send`
// only if `S` is `Send` and `Sync`: without `Sync`, the task "cannot be sent between
// threads safely" because of the captured `Arc<S>`, and rustc suggests adding `Sync`.
//
// Book: "Async traits in a library" (src/culprits/async-traits-library.md).

use std::sync::Arc;

trait ReportStore {
    fn load(&self, key: &str) -> impl Future<Output = Option<Vec<u8>>> + Send;
}

// ANCHOR: worker
fn spawn_load<S: ReportStore + Send + 'static>(store: Arc<S>, key: String) {
    tokio::spawn(async move { store.load(&key).await });
}
// ANCHOR_END: worker

fn main() {}
