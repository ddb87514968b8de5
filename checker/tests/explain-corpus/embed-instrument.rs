// Reproduces: https://github.com/bug-ops/zeph/issues/4828 — the fix: attach the span to the awaited future with `.instrument(span)` instead of keeping an EnteredSpan alive.
// expect: compiles
use std::time::Duration;

use tracing::{Instrument, info_span};

async fn embed(text: &str) -> Vec<f32> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    text.bytes().map(|b| f32::from(b) / 255.0).collect()
}

async fn embed_query(query: String) -> usize {
    let span = info_span!("embed_query", len = query.len());
    let vector = embed(&query).instrument(span).await;
    vector.len()
}

#[tokio::main]
async fn main() {
    let search = tokio::spawn(embed_query("how do I pin a future".into()));
    println!("{} dimensions", search.await.unwrap());
}
