// # The balancer's dice
//
// Story: the proxy's search service runs on three replicas. To spread the load, the
// balancer sends each request to a replica picked at random, and if that one refuses the
// connection, tries the next one, and the next.
//
// What is wrong: it does not compile. The spawned future "cannot be sent between threads
// safely". There is no lock anywhere: the value named comes from `rand`.
//
// What to do: pick the first replica at random as before, without keeping anything
// thread-bound across the forwards. Only `Balancer::handle` needs to change.
//
// Book: "Thread-local random numbers" (src/other/thread-rng.md).

use std::sync::Arc;

use checker::proxy::{Client, Listener, ProxyError};
use rand::Rng;

// ANCHOR: balancer
#[derive(Clone)]
struct Balancer {
    /// The base URLs of the service's replicas.
    replicas: Arc<Vec<String>>,
    client: Client,
}

impl Balancer {
    async fn handle(&self, path: &str) -> Result<String, ProxyError> {
        let mut rng = rand::rng();
        let first = rng.random_range(0..self.replicas.len());
        let mut outcome = Err(ProxyError::NoRoute("search".into()));
        for i in 0..self.replicas.len() {
            let replica = &self.replicas[(first + i) % self.replicas.len()];
            outcome = self
                .client
                .forward(replica, path)
                .await
                .map_err(ProxyError::from);
            if outcome.is_ok() {
                break;
            }
        }
        outcome
    }
}
// ANCHOR_END: balancer

// ANCHOR: serve
async fn serve(balancer: Balancer, mut listener: Listener) {
    while let Some(request) = listener.accept().await {
        let balancer = balancer.clone();
        tokio::spawn(async move {
            let response = balancer.handle(&request.path).await;
            request.respond(response);
        });
    }
}
// ANCHOR_END: serve

// ---------------------------------------------------------------------------------------
// The checker's part: it starts the balancer and checks what it does. No need to change it.

fn main() {
    checker::proxy::check_balancer(|replicas, client, listener| {
        let balancer = Balancer {
            replicas: Arc::new(replicas),
            client,
        };
        serve(balancer, listener)
    });
}
