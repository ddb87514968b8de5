// Claim: the check of `proofs/compiles/async-traits-send-regression.rs` catches a regression
// in the library itself, before any user spawns: here `keys` starts counting its calls in an
// `Rc` kept across its `.await`, and the check, which is never called, no longer compiles.
//
// Book: "Async traits in a library" (src/culprits/async-traits-library.md).

use std::rc::Rc;

/// The library, with the regression.
mod reports {
    use std::rc::Rc;

    pub struct MemoryStore {
        pub calls: Rc<()>,
    }

    impl MemoryStore {
        pub async fn keys(&self) -> Vec<String> {
            let calls = Rc::clone(&self.calls);
            tokio::task::yield_now().await;
            vec![format!("calls: {}", Rc::strong_count(&calls))]
        }
    }
}

use reports::MemoryStore;

#[allow(dead_code)]
fn public_futures_are_send(store: &MemoryStore) {
    fn is_send<T: Send>(_: &T) {}
    is_send(&store.keys());
}

fn main() {
    let _store = MemoryStore { calls: Rc::new(()) };
}
