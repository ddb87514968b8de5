// Reproduces: https://github.com/ramosbugs/oauth2-rs/issues/260 — a custom async HTTP client returns a boxed `dyn Future` without + Send; an axum callback handler awaits the token exchange that drives it.
// expect: kind=boxed-future shape=awaits-non-send-future culprit=`dyn Future<Output = Result<String, String>>` value=client(format!
use axum::{Router, extract::Query, routing::get};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

type HttpFuture = Pin<Box<dyn Future<Output = Result<String, String>>>>;

fn my_client(url: String) -> HttpFuture {
    Box::pin(async move { Ok(format!("token-for:{url}")) })
}

struct CodeExchange {
    code: String,
}

impl CodeExchange {
    async fn request_async<C>(self, client: C) -> Result<String, String>
    where
        C: Fn(String) -> HttpFuture,
    {
        let body = client(format!("https://idp.example/token?code={}", self.code)).await?;
        Ok(body.to_uppercase())
    }
}

async fn callback(Query(params): Query<HashMap<String, String>>) -> String {
    let code = params.get("code").cloned().unwrap_or_default();
    let token = CodeExchange { code }.request_async(my_client).await;
    format!("{token:?}")
}

#[tokio::main]
async fn main() {
    let app: Router = Router::new().route("/callback", get(callback));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("{:?}", listener.local_addr());
    drop(app);
}
