// Reproduces: https://github.com/bug-ops/zeph/issues/4828 — `info_span!(..).entered()` is kept while the embedding call is awaited; EnteredSpan is not Send.
// expect: kind=tracing-span shape=held-across-await culprit=`*mut ()` value=_span
// expect-line: await=15
use std::time::Duration;

use tracing::info_span;

async fn embed(text: &str) -> Vec<f32> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    text.bytes().map(|b| f32::from(b) / 255.0).collect()
}

async fn embed_query(query: String) -> usize {
    let _span = info_span!("embed_query", len = query.len()).entered();
    let vector = embed(&query).await;
    vector.len()
}

#[tokio::main]
async fn main() {
    let search = tokio::spawn(embed_query("how do I pin a future".into()));
    println!("{} dimensions", search.await.unwrap());
}
