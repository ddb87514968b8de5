// Claim: the balancer check of exercise 19 cannot be passed by deleting the randomness.
// A balancer that always tries the first replica first compiles (no `ThreadRng` is held),
// and answers every request, but sends all the load to one replica.
//
// Verdict: the load should be spread over every replica
//
// Book: "Thread-local random numbers" (src/other/thread-rng.md).

use std::sync::Arc;

use checker::proxy::{Client, Listener, ProxyError};

// ANCHOR: balancer
#[derive(Clone)]
struct Balancer {
    /// The base URLs of the service's replicas.
    replicas: Arc<Vec<String>>,
    client: Client,
}

impl Balancer {
    async fn handle(&self, path: &str) -> Result<String, ProxyError> {
        // No dice: always start with the first replica.
        let first = 0;
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
