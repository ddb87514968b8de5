// Claim: with the route table in an `ArcSwap`, a request takes a snapshot of the table with
// `load_full()` (an `Arc`, not a guard) and may keep it across the forward's `.await`: the
// spawned future is `Send`, requests do not wait for each other, and a reload (`store`)
// is seen by every request that starts after it. The proxy passes the story's check.
//
// Book: "Read-mostly data: RwLock and arc-swap" (src/beyond/read-mostly.md).

use std::sync::Arc;

use arc_swap::ArcSwap;
use checker::proxy::{Client, Listener, ProxyError, Reloads, Routes};

// ANCHOR: proxy
#[derive(Clone)]
struct Proxy {
    /// The current route table. Readers take a snapshot; a reload swaps in a
    /// new table.
    routes: Arc<ArcSwap<Routes>>,
    client: Client,
}

impl Proxy {
    async fn handle(&self, service: &str, path: &str) -> Result<String, ProxyError> {
        // An `Arc<Routes>`: this request's own handle on the table as it is now.
        let routes = self.routes.load_full();
        let upstream = routes
            .get(service)
            .ok_or_else(|| ProxyError::NoRoute(service.to_owned()))?;
        // Borrowing from the snapshot across the `.await` is fine: nothing is
        // locked.
        Ok(self.client.forward(upstream, path).await?)
    }

    fn replace_routes(&self, routes: Routes) {
        // Requests that already hold the old table finish with it; the old
        // table is freed when the last of them drops its `Arc`.
        self.routes.store(Arc::new(routes));
    }
}
// ANCHOR_END: proxy

async fn serve(proxy: Proxy, mut listener: Listener) {
    while let Some(request) = listener.accept().await {
        let proxy = proxy.clone();
        // `tokio::spawn` demands a `Send` future: this line is the proof.
        tokio::spawn(async move {
            let response = proxy.handle(&request.service, &request.path).await;
            request.respond(response);
        });
    }
}

async fn watch_config(proxy: Proxy, mut reloads: Reloads) {
    while let Some(routes) = reloads.next().await {
        proxy.replace_routes(routes);
    }
}

fn main() {
    checker::proxy::check(|routes, client, listener, reloads| async move {
        let proxy = Proxy {
            routes: Arc::new(ArcSwap::from_pointee(routes)),
            client,
        };
        tokio::join!(serve(proxy.clone(), listener), watch_config(proxy, reloads));
    });
}
