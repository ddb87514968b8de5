// Reproduces: https://github.com/tokio-rs/tokio/issues/2394 — a crawler's async fn spawns a task that calls a function which calls back into it, so checking Send needs the type being defined.
// expect: kind=other shape=recursive culprit=`impl Future<Output = ()>` value=-
use std::time::Duration;

async fn crawl(url: String, depth: u32) {
    if depth == 0 {
        return;
    }
    let handle = tokio::spawn(async move {
        visit(url, depth).await;
    });
    handle.await.unwrap();
}

async fn visit(url: String, depth: u32) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("visited {url}");
    crawl(format!("{url}/next"), depth - 1).await;
}

#[tokio::main]
async fn main() {
    crawl("https://example.com".into(), 3).await;
}
