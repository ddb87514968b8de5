// Claim: once a library's trait returns `BoxFuture` (a boxed future that is `Send`), an
// implementation whose future is not `Send` is refused in the implementation itself, at the
// `Box::pin`, where the mistake is, instead of in every program that spawns a caller.
//
// Book: "Boxed futures and async-trait" (src/culprits/boxed-futures.md).

use std::rc::Rc;
use std::time::Duration;

use futures::future::BoxFuture;

pub trait Store {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, usize>;
}

// ANCHOR: impl
/// A store for tests that keeps a log of what it was given, in an `Rc`.
struct LoggingStore;

impl Store for LoggingStore {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, usize> {
        Box::pin(async move {
            let log = Rc::new(format!("put {key}"));
            tokio::time::sleep(Duration::from_millis(1)).await;
            println!("{log}");
            bytes.len()
        })
    }
}
// ANCHOR_END: impl

#[tokio::main]
async fn main() {
    println!("{}", LoggingStore.put("a", vec![1]).await);
}
