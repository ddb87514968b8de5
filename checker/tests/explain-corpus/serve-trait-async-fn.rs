// Reproduces: https://github.com/google/tarpc/issues/421 — a generic helper spawns a task that awaits an `async fn` of a trait; the trait promises nothing about that future being Send.
// expect: kind=trait-future shape=awaits-non-send-future culprit=`impl Future<Output = String>` value=service.serve
// expect-line: await=27
use std::time::Duration;

trait Serve {
    async fn serve(&self, request: String) -> String;
}

#[derive(Clone)]
struct Echo;

impl Serve for Echo {
    async fn serve(&self, request: String) -> String {
        tokio::time::sleep(Duration::from_millis(1)).await;
        request.to_uppercase()
    }
}

async fn handle_all<S>(service: S, requests: Vec<String>)
where
    S: Serve + Clone + Send + Sync + 'static,
{
    let mut tasks = Vec::new();
    for request in requests {
        let service = service.clone();
        tasks.push(tokio::spawn(async move { service.serve(request).await }));
    }
    for task in tasks {
        println!("{}", task.await.unwrap());
    }
}

#[tokio::main]
async fn main() {
    handle_all(Echo, vec!["ping".into(), "status".into()]).await;
}
