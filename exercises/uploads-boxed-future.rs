// # The storage library that forgot Send
//
// Story: the app stores users' avatars in object storage through a small storage library
// (here a module, in real life a crate of its own). Its `Store` trait returns boxed
// futures, so that the app can choose a backend at run time. The app uploads a batch of
// avatars side by side, one task each. (Real reports of a library's boxed future without
// `+ Send`: treydempsey/sqlx-crud#14, a CRUD helper whose futures could not be awaited in a
// spawned task; breez/breez-sdk-greenlight#595, node API methods that broke every
// `tokio::spawn` loop awaiting them; ccbrown/iocraft#150.)
//
// What is wrong: it does not compile. The task "cannot be sent between threads safely",
// and the note points into the library's type, not at a variable of the app.
//
// What to do: make it compile. The fix belongs in the library.
//
// Book: "Boxed futures and async-trait" (src/culprits/boxed-futures.md).

use std::sync::Arc;

use blobstore::{ObjectStore, Store};
use checker::uploads::{ObjectBucket, Upload};
use tokio::task::JoinSet;

// ANCHOR: library
/// The storage library.
mod blobstore {
    use std::future::Future;
    use std::pin::Pin;

    use checker::uploads::{ObjectBucket, StorageError};

    /// What `Store::put` returns. A boxed future, so that `dyn Store` is possible.
    pub type PutFuture<'a> = Pin<Box<dyn Future<Output = Result<(), StorageError>> + 'a>>;

    pub trait Store {
        fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> PutFuture<'a>;
    }

    /// Stores objects in a bucket of remote object storage.
    pub struct ObjectStore {
        bucket: ObjectBucket,
    }

    impl ObjectStore {
        pub fn new(bucket: ObjectBucket) -> Self {
            ObjectStore { bucket }
        }
    }

    impl Store for ObjectStore {
        fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> PutFuture<'a> {
            Box::pin(self.bucket.upload(key, bytes))
        }
    }
}
// ANCHOR_END: library

// ANCHOR: app
async fn store_all(bucket: ObjectBucket, uploads: Vec<Upload>) -> anyhow::Result<()> {
    let store: Arc<dyn Store + Send + Sync> = Arc::new(ObjectStore::new(bucket));
    let mut tasks = JoinSet::new();
    for upload in uploads {
        let store = Arc::clone(&store);
        tasks.spawn(async move { store.put(&upload.key, upload.bytes).await });
    }
    while let Some(finished) = tasks.join_next().await {
        finished??;
    }
    Ok(())
}
// ANCHOR_END: app

// ---------------------------------------------------------------------------------------
// The checker's part: it uploads a batch and checks the bucket. No need to change it.

fn main() {
    checker::uploads::check(store_all);
}
