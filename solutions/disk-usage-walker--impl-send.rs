// # The walker that spawned itself
//
// Story: the backup service shows each customer how much space their folder takes. The
// folder lives in an object store, where listing a directory is a slow request, so the
// report walks the tree with one task per subdirectory: sibling directories are listed
// side by side instead of one after another.
//
// What is wrong: it does not compile. The compiler "cannot satisfy" that the future of
// `disk_usage` is `Send`, and asks for type annotations, although nothing in it is a
// lock, an `Rc` or a `RefCell`. The shape comes from real reports:
// https://github.com/rust-lang/rust/issues/112175 and
// https://github.com/tokio-rs/tokio/issues/2394.
//
// What to do: make it compile, still walking each subdirectory in a task of its own.
//
// Book: "Recursion" (src/culprits/recursion.md).

use std::future::Future;
use std::sync::Arc;

use checker::storage::{Entry, Store};

// ANCHOR: walk
/// The total size of the files under `path`, each subdirectory walked by a task of its own.
///
/// The return type says `Send` out loud. No box is needed: each spawned task lives in an
/// allocation of its own, so the future never contains itself.
// Clippy suggests writing this as an `async fn` again: that is the version that does not
// compile (rust-lang/rust-clippy#7052).
#[allow(clippy::manual_async_fn)]
fn disk_usage(store: Arc<Store>, path: String) -> impl Future<Output = u64> + Send {
    async move {
        let mut total = 0;
        let mut subdirectories = Vec::new();
        for entry in store.list(&path).await {
            match entry {
                Entry::File { size, .. } => total += size,
                Entry::Dir { name } => {
                    let child = format!("{path}/{name}");
                    subdirectories.push(tokio::spawn(disk_usage(Arc::clone(&store), child)));
                }
            }
        }
        for subdirectory in subdirectories {
            total += subdirectory.await.expect("a walker panicked");
        }
        total
    }
}
// ANCHOR_END: walk

// ---------------------------------------------------------------------------------------
// The checker's part: it walks a tree four levels deep and checks the total and the time.
// No need to change it.

fn main() {
    checker::storage::check(disk_usage);
}
