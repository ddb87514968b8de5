// Claim: an implementation that promises more than its trait does not help generic code.
// Here the trait says `async fn load`, and the object store's implementation returns
// `impl Future<…> + Send`. A caller that knows the concrete type could use that promise;
// the generic worker sees only the trait's signature, so its task is still not `Send`, and
// rustc warns that the implementation's bound "is stronger than that defined on the trait".
//
// Book: "Async traits in a library" (src/culprits/async-traits-library.md).

use std::sync::Arc;

// ANCHOR: refined
trait ReportStore {
    async fn load(&self, key: &str) -> Option<Vec<u8>>;
}

struct ObjectStore;

impl ReportStore for ObjectStore {
    fn load(&self, key: &str) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let object = format!("contents of {key}").into_bytes();
        async move { Some(object) }
    }
}

fn spawn_load<S: ReportStore + Send + Sync + 'static>(store: Arc<S>, key: String) {
    tokio::spawn(async move { store.load(&key).await });
}
// ANCHOR_END: refined

fn main() {
    spawn_load(Arc::new(ObjectStore), "reports/1.pdf".into());
}
