// Claim: a reload with `ArcSwap::store` neither waits for the requests in flight nor
// changes the table under them. A request that took its snapshot before the reload
// finishes with the old table; requests that start after it see the new one; the old table
// is freed when the last snapshot of it is dropped. (On a one-thread runtime, a `store`
// that waited for readers would never return.)
//
// Book: "Read-mostly data: RwLock and arc-swap" (src/beyond/read-mostly.md).

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwap;
use tokio::sync::oneshot;

type Routes = HashMap<String, String>;

fn table(search: &str) -> Routes {
    HashMap::from([("search".to_owned(), search.to_owned())])
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let routes = Arc::new(ArcSwap::from_pointee(table("http://search.internal")));
    let old_table = Arc::downgrade(&routes.load_full());

    // A request takes its snapshot, then waits (for its upstream, say).
    let (go_on, resume) = oneshot::channel::<()>();
    let (took_snapshot, snapshot_taken) = oneshot::channel::<()>();
    let in_flight = tokio::spawn({
        let routes = Arc::clone(&routes);
        async move {
            let snapshot = routes.load_full();
            took_snapshot.send(()).unwrap();
            resume.await.unwrap();
            snapshot["search"].clone()
        }
    });
    snapshot_taken.await.unwrap();

    // The reload returns at once, although a request still holds the old table.
    routes.store(Arc::new(table("http://search-v2.internal")));
    assert_eq!(routes.load()["search"], "http://search-v2.internal");
    assert!(
        old_table.upgrade().is_some(),
        "the old table is still in use"
    );

    go_on.send(()).unwrap();
    assert_eq!(in_flight.await.unwrap(), "http://search.internal");
    assert!(
        old_table.upgrade().is_none(),
        "the old table is freed with its last snapshot"
    );
}
