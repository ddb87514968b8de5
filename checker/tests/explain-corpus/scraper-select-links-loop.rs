// Reproduces: https://github.com/rust-scraper/scraper/issues/206 — a spawned crawler parses a page with scraper and awaits a fetch for every `a[href]` while an `ElementRef` into the document is alive.
// expect: kind=foreign shape=held-across-await culprit=`OnceCell<Option<tendril` value=el
use scraper::{Html, Selector};
use std::time::Duration;

async fn fetch(url: String) -> usize {
    tokio::time::sleep(Duration::from_millis(1)).await;
    url.len()
}

async fn crawl(body: String) -> usize {
    let html = Html::parse_document(&body);
    let links = Selector::parse("a[href]").unwrap();
    let mut total = 0;
    for el in html.select(&links) {
        if let Some(href) = el.value().attr("href") {
            total += fetch(href.to_string()).await;
        }
    }
    total
}

#[tokio::main]
async fn main() {
    let page = r#"<html><body><a href="/a">a</a><a href="/b">b</a></body></html>"#.to_string();
    println!("{}", tokio::spawn(crawl(page)).await.unwrap());
}
