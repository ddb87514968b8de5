// Claim: return-type notation, the bound that would let generic code ask for a `Send`
// future from one method of a trait (`S::load(..): Send`), is not stable on Rust 1.95: it
// is E0658, "return type notation is experimental" (rust-lang/rust#109417). Until it is,
// the promise has to be written in the trait itself.
//
// Book: "Async functions in traits" (src/culprits/async-traits.md).

use std::sync::Arc;

trait ReportStore {
    async fn load(&self, key: &str) -> Option<Vec<u8>>;
}

// ANCHOR: rtn
fn spawn_load<S>(store: Arc<S>, key: String)
where
    S: ReportStore + Send + Sync + 'static,
    S::load(..): Send,
{
    tokio::spawn(async move { store.load(&key).await });
}
// ANCHOR_END: rtn

fn main() {}
