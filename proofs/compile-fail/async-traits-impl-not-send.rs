// Claim: once the trait promises a `Send` future, an implementation whose future is not
// `Send` is refused where it is written: here a cache that keeps an `Rc` across its
// `.await`. The error points at the `impl`, not at the generic code far away that spawns.
//
// Book: "Async functions in traits" (src/culprits/async-traits.md).

use std::rc::Rc;

trait ReportStore {
    fn load(&self, key: &str) -> impl Future<Output = Option<Vec<u8>>> + Send;
}

// ANCHOR: impl
/// A store for tests, which counts its loads with an `Rc`.
struct Counting {
    loads: Rc<()>,
}

impl ReportStore for Counting {
    async fn load(&self, key: &str) -> Option<Vec<u8>> {
        let load = Rc::clone(&self.loads);
        tokio::task::yield_now().await;
        drop(load);
        Some(key.as_bytes().to_vec())
    }
}
// ANCHOR_END: impl

fn main() {}
