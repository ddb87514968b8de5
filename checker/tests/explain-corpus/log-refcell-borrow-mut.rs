// Reproduces: https://github.com/async-graphql/async-graphql/issues/110 — a resolver-style save step borrows its RefCell cache mutably and awaits the store while the RefMut is alive.
// expect: kind=refcell-borrow shape=held-across-await culprit=`NonNull<Vec<u8>>` value=pending
// expect-line: await=19
use std::cell::RefCell;
use std::time::Duration;

async fn store(bytes: &[u8]) -> usize {
    tokio::time::sleep(Duration::from_millis(1)).await;
    bytes.len()
}

#[tokio::main]
async fn main() {
    let flusher = tokio::spawn(async move {
        let cache = RefCell::new(Vec::new());
        for chunk in [b"alpha".as_slice(), b"beta", b"gamma"] {
            let mut pending = cache.borrow_mut();
            pending.extend_from_slice(chunk);
            let written = store(&pending).await;
            pending.clear();
            println!("flushed {written} bytes");
        }
    });
    flusher.await.unwrap();
}
