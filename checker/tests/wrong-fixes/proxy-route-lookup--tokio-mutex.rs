// # The proxy, act one: the route that would not be sent
//
// Story: an internal proxy takes every request, looks up which upstream serves its
// service in a shared route table, and forwards it there. Each request gets its own task,
// so a slow upstream does not hold up the others; the table is replaced whenever the
// configuration changes.
//
// What is wrong: it does not compile. `tokio::spawn` says the future "cannot be sent
// between threads safely".
//
// What to do: make it compile, keep the std mutex, and hold the lock only as long as the
// lookup needs it. Only `Proxy::handle` needs to change.
//
// Book: "The proxy, act one: the error" (src/story/proxy-act-1.md).

use std::sync::Arc;

use checker::proxy::{Client, Listener, ProxyError, Reloads, Routes};
// The wrong fix: tokio's mutex, whose guard may cross the `.await`. It compiles, and every
// request now waits for the one before it to be forwarded (act two of the story); the
// exercise asked to keep the std mutex.
use tokio::sync::Mutex;

// ANCHOR: proxy
#[derive(Clone)]
struct Proxy {
    /// Which upstream serves each service, e.g. "billing" -> "http://billing.internal".
    routes: Arc<Mutex<Routes>>,
    client: Client,
}

impl Proxy {
    async fn handle(&self, service: &str, path: &str) -> Result<String, ProxyError> {
        let routes = self.routes.lock().await;
        let upstream = routes
            .get(service)
            .ok_or_else(|| ProxyError::NoRoute(service.to_owned()))?;
        Ok(self.client.forward(upstream, path).await?)
    }

    async fn replace_routes(&self, routes: Routes) {
        *self.routes.lock().await = routes;
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
        proxy.replace_routes(routes).await;
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
