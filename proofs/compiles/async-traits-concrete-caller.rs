// Claim: the compiler does see that an implementation's `async fn` future is `Send`, when
// the caller names the concrete type. The trait below promises nothing about `Send`, and a
// task that calls `ObjectStore`'s `load` through it is spawned anyway: it is generic code, which
// knows only the trait, that cannot be spawned (exercises/export-worker-trait.rs). And the
// trait accepts implementations whose future is not `Send`, like `Counting` below, which
// keeps an `Rc` across its `.await`: nothing in the trait rules them out.
//
// Book: "Async functions in traits" (src/culprits/async-traits.md).

use std::rc::Rc;
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

/// A store for tests that counts its loads with an `Rc`: a valid implementation, whose
/// future is not `Send`.
struct Counting {
    loads: Rc<()>,
}

impl ReportStore for Counting {
    async fn load(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        let load = Rc::clone(&self.loads);
        tokio::task::yield_now().await;
        drop(load);
        Ok(key.as_bytes().to_vec())
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
    // Awaited where it is, not spawned, the `Counting` store works too.
    let counting = Counting { loads: Rc::new(()) };
    assert_eq!(counting.load("a").await.unwrap(), b"a");
}
