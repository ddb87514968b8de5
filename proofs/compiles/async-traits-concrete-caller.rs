// Claim: the compiler does see that an implementation's `async fn` future is `Send`, when
// the caller names the concrete type. The trait below promises nothing about `Send`, and a
// task that calls `ObjectStore`'s `load` through it is spawned anyway: it is generic code, which
// knows only the trait, that cannot be spawned (exercises/export-worker-trait.rs).
//
// Book: "Async functions in traits" (src/culprits/async-traits.md).

use std::sync::Arc;

use checker::exports::{ObjectStore, StoreError};

trait ReportStore {
    async fn load(&self, key: &str) -> Result<Vec<u8>, StoreError>;
}

impl ReportStore for ObjectStore {
    async fn load(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        self.get_object(key).await
    }
}

// ANCHOR: concrete
/// Not generic: the task's future holds `ObjectStore`'s own `load` future, whose type the
/// compiler knows, and which is `Send`.
fn spawn_load(store: Arc<ObjectStore>, key: String) -> tokio::task::JoinHandle<bool> {
    tokio::spawn(async move { store.load(&key).await.is_ok() })
}
// ANCHOR_END: concrete

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let found = spawn_load(Arc::new(ObjectStore::default()), "reports/none.pdf".into());
    // The default store is empty: the load fails, but it ran on the runtime's threads.
    assert!(!found.await.unwrap());
}
