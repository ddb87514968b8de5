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

use std::sync::Arc;

use checker::storage::{Entry, Store};

// ANCHOR: walk
/// The wrong fix: no tasks at all. Boxing the recursion and joining the subdirectories'
/// futures in this one task compiles, and the walk is still concurrent, but every
/// directory shares one task (and one thread), which the exercise asked not to do.
fn disk_usage(store: Arc<Store>, path: String) -> futures::future::BoxFuture<'static, u64> {
    Box::pin(async move {
        let mut total = 0;
        let mut subdirectories = Vec::new();
        for entry in store.list(&path).await {
            match entry {
                Entry::File { size, .. } => total += size,
                Entry::Dir { name } => {
                    let child = format!("{path}/{name}");
                    subdirectories.push(disk_usage(Arc::clone(&store), child));
                }
            }
        }
        let sizes = futures::future::join_all(subdirectories).await;
        total + sizes.into_iter().sum::<u64>()
    })
}
// ANCHOR_END: walk

// ---------------------------------------------------------------------------------------
// The checker's part: it walks a tree four levels deep and checks the total and the time.
// No need to change it.

fn main() {
    checker::storage::check(disk_usage);
}
