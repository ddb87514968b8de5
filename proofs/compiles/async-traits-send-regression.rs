// Claim: a library can keep its public futures `Send` under test, without spawning
// anything: a function that passes each future to a `T: Send` bound compiles only while
// they are. The check is never called; compiling it is the test (tokio's own
// `tests/async_send_sync.rs` does the same for its API). The twin
// `proofs/compile-fail/async-traits-send-regression-caught.rs` shows it failing the day an
// implementation keeps an `Rc` across an `.await`.
//
// Book: "Async traits in a library" (src/culprits/async-traits-library.md).

use std::collections::HashMap;
use std::sync::Mutex;

/// The library: a trait that promises `Send`, and a store of its own.
mod reports {
    use std::collections::HashMap;
    use std::sync::Mutex;

    pub trait ReportStore {
        fn load(&self, key: &str) -> impl Future<Output = Option<Vec<u8>>> + Send;
    }

    pub struct MemoryStore {
        pub reports: Mutex<HashMap<String, Vec<u8>>>,
    }

    impl MemoryStore {
        /// Every report's key, after a pause that stands for a network round trip.
        pub async fn keys(&self) -> Vec<String> {
            tokio::task::yield_now().await;
            let reports = self.reports.lock().unwrap();
            reports.keys().cloned().collect()
        }
    }

    impl ReportStore for MemoryStore {
        async fn load(&self, key: &str) -> Option<Vec<u8>> {
            tokio::task::yield_now().await;
            self.reports.lock().unwrap().get(key).cloned()
        }
    }
}

use reports::{MemoryStore, ReportStore};

// ANCHOR: check
/// Compiles only while every public future of the library is `Send`.
#[allow(dead_code)]
fn public_futures_are_send(store: &MemoryStore) {
    fn is_send<T: Send>(_: &T) {}
    is_send(&store.keys());
    is_send(&store.load("daily"));
}
// ANCHOR_END: check

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let store = MemoryStore {
        reports: Mutex::new(HashMap::from([("daily".to_owned(), vec![1, 2, 3])])),
    };
    assert_eq!(store.keys().await, ["daily"]);
    assert_eq!(store.load("daily").await, Some(vec![1, 2, 3]));
}
