// # The proxy, act three: the clone and the drop that did not help
//
// Story: the proxy is back on std's mutex (exercise `proxy-async-mutex` showed what the async one cost).
// To keep the lock out of the forward, its author clones the upstream out of the table
// and releases the lock with `drop(routes)` before the `.await`. At run time the lock is
// indeed released there.
//
// What is wrong: the compiler still says the future "cannot be sent between threads
// safely", and still names `routes`.
//
// What to do: make the guard's end visible to the compiler without changing what
// `Proxy::handle` does.
//
// Book: "Act three: back to std, and a drop that did not help" (src/story/proxy-act-3.md).

use std::sync::{Arc, Mutex};

use checker::proxy::{Client, Listener, ProxyError, Reloads, Routes};

// ANCHOR: proxy
#[derive(Clone)]
struct Proxy {
    /// Which upstream serves each service, e.g. "billing" -> "http://billing.internal".
    routes: Arc<Mutex<Routes>>,
    client: Client,
}

impl Proxy {
    async fn handle(&self, service: &str, path: &str) -> Result<String, ProxyError> {
        let routes = self.routes.lock().unwrap();
        let upstream = routes
            .get(service)
            .cloned()
            .ok_or_else(|| ProxyError::NoRoute(service.to_owned()))?;
        drop(routes); // The lock is released here, before the forward...
        Ok(self.client.forward(&upstream, path).await?)
    }

    fn replace_routes(&self, routes: Routes) {
        *self.routes.lock().unwrap() = routes;
    }
}
// ANCHOR_END: proxy

// ANCHOR: serve
async fn serve(proxy: Proxy, mut listener: Listener) {
    while let Some(request) = listener.accept().await {
        let proxy = proxy.clone();
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
// ANCHOR_END: serve

// ---------------------------------------------------------------------------------------
// The checker's part: it starts the proxy and checks what it does. No need to change it.

fn main() {
    checker::proxy::check(|routes, client, listener, reloads| async move {
        let proxy = Proxy {
            routes: Arc::new(Mutex::new(routes)),
            client,
        };
        tokio::join!(serve(proxy.clone(), listener), watch_config(proxy, reloads));
    });
}
