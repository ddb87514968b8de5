// Reproduces: https://github.com/rust-scraper/scraper/issues/181 — a parsed document (there scraper's `Html`, here a `syn::File`, whose tokens are not Send) stays alive across the next network await.
// expect: kind=foreign shape=held-across-await culprit=`proc_macro` value=file
// expect-line: await=26
use std::time::Duration;

async fn download(url: &str) -> String {
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("/// Fetched from {url}\npub fn hello() {{}}\npub struct World;\n")
}

async fn upload(name: &str, items: usize) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("uploaded {name}: {items} items");
}

async fn document(url: String) -> usize {
    let source = download(&url).await;
    let file = syn::parse_file(&source).expect("valid Rust");
    let public = file
        .items
        .iter()
        .filter(
            |item| matches!(item, syn::Item::Fn(f) if matches!(f.vis, syn::Visibility::Public(_))),
        )
        .count();
    upload(&url, public).await;
    file.items.len()
}

#[tokio::main]
async fn main() {
    let job = tokio::spawn(document("https://example.com/lib.rs".into()));
    println!("{} items", job.await.unwrap());
}
