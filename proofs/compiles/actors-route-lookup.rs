// Claim: the owner task's work should be as short as a critical section. A route table
// owned by a task that only answers lookups (with a clone of the upstream) and applies
// reloads, while each request forwards on its own, passes the proxy's check: sixteen
// requests at once take one upstream round trip, and a reload is seen by later requests.
//
// Book: "Own the state in one task" (src/beyond/actors.md).

use checker::proxy::{Client, Listener, ProxyError, Reloads, Routes};
use tokio::sync::{mpsc, oneshot};

enum Command {
    Lookup {
        service: String,
        reply: oneshot::Sender<Option<String>>,
    },
    Replace(Routes),
}

// ANCHOR: owner
async fn owner(mut routes: Routes, mut inbox: mpsc::Receiver<Command>) {
    while let Some(command) = inbox.recv().await {
        match command {
            // Answer with a copy and move on: no `.await` while others wait in line.
            Command::Lookup { service, reply } => {
                let _ = reply.send(routes.get(&service).cloned());
            }
            Command::Replace(new_routes) => routes = new_routes,
        }
    }
}
// ANCHOR_END: owner

// ANCHOR: handle
#[derive(Clone)]
struct Proxy {
    table: mpsc::Sender<Command>,
    client: Client,
}

impl Proxy {
    async fn handle(&self, service: &str, path: &str) -> Result<String, ProxyError> {
        let (reply, answer) = oneshot::channel();
        let lookup = Command::Lookup {
            service: service.to_owned(),
            reply,
        };
        let no_route = || ProxyError::NoRoute(service.to_owned());
        self.table.send(lookup).await.map_err(|_| no_route())?;
        let upstream = answer.await.ok().flatten().ok_or_else(no_route)?;
        // The forward happens here, in the request's own task.
        Ok(self.client.forward(&upstream, path).await?)
    }
}
// ANCHOR_END: handle

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

async fn watch_config(table: mpsc::Sender<Command>, mut reloads: Reloads) {
    while let Some(routes) = reloads.next().await {
        if table.send(Command::Replace(routes)).await.is_err() {
            return;
        }
    }
}

fn main() {
    checker::proxy::check(|routes, client, listener, reloads| async move {
        let (table, commands) = mpsc::channel(64);
        tokio::spawn(owner(routes, commands));
        let proxy = Proxy {
            table: table.clone(),
            client,
        };
        tokio::join!(serve(proxy, listener), watch_config(table, reloads));
    });
}
