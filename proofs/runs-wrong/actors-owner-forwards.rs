// Claim: an owner task is one task, so whatever it awaits, every message behind it waits
// for. A route table owned by a task that also forwards each request (awaiting the
// upstream inside its loop) serves one request per upstream round trip, exactly like the
// async mutex held across the call in act two.
//
// Verdict: 16 requests at once took 16.0× the upstream latency
//
// Book: "Own the state in one task" (src/beyond/actors.md).

use checker::proxy::{Client, Listener, ProxyError, Reloads, Routes};
use tokio::sync::mpsc::{self, Receiver};
use tokio::sync::oneshot;

enum Command {
    Forward {
        service: String,
        path: String,
        reply: oneshot::Sender<Result<String, ProxyError>>,
    },
    Replace(Routes),
}

// ANCHOR: owner
async fn owner(mut routes: Routes, client: Client, mut inbox: Receiver<Command>) {
    while let Some(command) = inbox.recv().await {
        match command {
            Command::Forward {
                service,
                path,
                reply,
            } => {
                let Some(upstream) = routes.get(&service) else {
                    let _ = reply.send(Err(ProxyError::NoRoute(service)));
                    continue;
                };
                // The owner waits for the upstream, and so does every message
                // queued behind this one.
                let answer = client.forward(upstream, &path).await;
                let _ = reply.send(answer.map_err(ProxyError::from));
            }
            Command::Replace(new_routes) => routes = new_routes,
        }
    }
}
// ANCHOR_END: owner

async fn serve(table: mpsc::Sender<Command>, mut listener: Listener) {
    while let Some(request) = listener.accept().await {
        let table = table.clone();
        tokio::spawn(async move {
            let (reply, answer) = oneshot::channel();
            let command = Command::Forward {
                service: request.service.clone(),
                path: request.path.clone(),
                reply,
            };
            if table.send(command).await.is_ok()
                && let Ok(response) = answer.await
            {
                request.respond(response);
            }
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
        tokio::spawn(owner(routes, client, commands));
        tokio::join!(serve(table.clone(), listener), watch_config(table, reloads));
    });
}
