// # The proxy, act two: the async mutex that compiled
//
// Story: to get the proxy of exercise `proxy-route-lookup` past the compiler, its author followed a common
// piece of advice: switch to `tokio::sync::Mutex`, whose guard may be held across an
// `.await`. It compiles, the tests pass, and it ships.
//
// What is wrong: under load the proxy answers one request at a time. Sixteen requests that
// arrive together take sixteen times as long as one.
//
// What to do: let requests to slow upstreams overlap again, without losing route reloads.
// Only `Proxy::handle` needs to change (going back to std's mutex is
// fine too, but then `replace_routes` and its caller change with it).
//
// Book: "Act two: the async mutex that compiled" (src/story/proxy-act-2.md).

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
        // Back to std's mutex, which is cheaper for a lookup this short. Its guard is not
        // `Send`, so it must die before the `.await`: the block ends its life.
        let upstream = {
            let routes = self.routes.lock().unwrap();
            routes.get(service).cloned()
        };
        let upstream = upstream.ok_or_else(|| ProxyError::NoRoute(service.to_owned()))?;
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
