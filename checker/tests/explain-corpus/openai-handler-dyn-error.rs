// Reproduces: https://github.com/64bit/async-openai/issues/390 — an axum handler loads its configuration as Result<_, Box<dyn Error>> and awaits the chat call while that Result is alive.
// expect: kind=dyn-error shape=held-across-await culprit=`dyn std::error::Error` value=config
// expect-line: await=26
use std::error::Error;
use std::time::Duration;

use axum::Router;
use axum::routing::get;

struct Config {
    model: String,
}

fn load_config() -> Result<Config, Box<dyn Error>> {
    let model = std::env::var("CHAT_MODEL").unwrap_or_else(|_| "small".into());
    Ok(Config { model })
}

async fn chat(prompt: &str) -> String {
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("echo: {prompt}")
}

async fn ask() -> String {
    let config = load_config();
    let answer = chat("hello").await;
    match config {
        Ok(c) => format!("[{}] {answer}", c.model),
        Err(e) => format!("no config ({e}): {answer}"),
    }
}

#[tokio::main]
async fn main() {
    let app: Router = Router::new().route("/ask", get(ask));
    let _ = app;
}
