// Reproduces: https://github.com/google/tarpc/issues/421 — the fix rustc suggests: the trait declares `fn serve(..) -> impl Future<Output = String> + Send`, so every implementation must return a Send future and generic code may spawn it.
// expect: compiles
use std::future::Future;
use std::time::Duration;

trait Serve {
    fn serve(&self, request: String) -> impl Future<Output = String> + Send;
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
