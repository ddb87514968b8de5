// Claim: a trait whose method returns a boxed future, `Pin<Box<dyn Future<Output = …> +
// Send + '_>>`, is dyn compatible, and its futures are `Send`: an `Arc<dyn ReportStore +
// Send + Sync>` chosen at start-up can be used from spawned tasks. This is what
// `#[async_trait]` writes for you; here it is by hand. It costs one allocation per call.
//
// Book: "Async traits in a library" (src/culprits/async-traits-library.md).

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;

use checker::exports::{ObjectStore, StoreError};

// ANCHOR: boxed
/// A future that may be sent between threads, boxed so that every implementation returns
/// the same type.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

trait ReportStore {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<u8>, StoreError>>;
}

impl ReportStore for ObjectStore {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<u8>, StoreError>> {
        Box::pin(self.get_object(key))
    }
}

/// The store the tests use.
struct Memory(HashMap<String, Vec<u8>>);

impl ReportStore for Memory {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<u8>, StoreError>> {
        Box::pin(async move { Ok(self.0.get(key).cloned().unwrap_or_default()) })
    }
}
// ANCHOR_END: boxed

// ANCHOR: dyn
fn spawn_load(
    store: Arc<dyn ReportStore + Send + Sync>,
    key: String,
) -> tokio::task::JoinHandle<usize> {
    tokio::spawn(async move { store.load(&key).await.map_or(0, |report| report.len()) })
}
// ANCHOR_END: dyn

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let memory = Memory(HashMap::from([("a".to_owned(), vec![1, 2, 3])]));
    let stores: [Arc<dyn ReportStore + Send + Sync>; 2] =
        [Arc::new(ObjectStore::default()), Arc::new(memory)];
    let [objects, memory] = stores;
    assert_eq!(spawn_load(objects, "a".into()).await.unwrap(), 0);
    assert_eq!(spawn_load(memory, "a".into()).await.unwrap(), 3);
}
