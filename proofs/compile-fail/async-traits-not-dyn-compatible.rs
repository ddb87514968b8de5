// Claim: a trait with an `async fn` is not dyn compatible on Rust 1.95: `dyn ReportStore`
// is E0038, "because method `load` is `async`". Each implementation returns a future of its
// own type and size, and a vtable has no place for that.
//
// Book: "Async traits in a library" (src/culprits/async-traits-library.md).

use std::sync::Arc;

trait ReportStore {
    async fn load(&self, key: &str) -> Option<Vec<u8>>;
}

// ANCHOR: dyn
/// The app picks its store at start-up, from the configuration.
struct App {
    store: Arc<dyn ReportStore + Send + Sync>,
}
// ANCHOR_END: dyn

fn main() {}
