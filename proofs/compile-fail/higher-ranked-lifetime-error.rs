// Claim: the bare "higher-ranked lifetime error", with a note "could not prove `impl
// Future<Output = ()>: Send`", is still printed by Rust 1.95: here for an async closure
// that pushes to a captured `String`, handed to a helper that takes `impl AsyncFnMut`, in a
// spawned future. The shape of rust-lang/rust#151398 (open).
//
// Book: "Async closures" (src/culprits/async-closures.md).

use std::time::Duration;

// ANCHOR: batch
/// Hands each line number of `text` to `sink`, in order.
async fn for_each_line(text: String, mut sink: impl AsyncFnMut(usize)) {
    for number in 0..text.lines().count() {
        sink(number).await;
    }
}

async fn count_lines(log: String) -> String {
    let mut seen = String::new();
    for_each_line(log, async |number| {
        seen.push_str(&format!("{number} "));
        tokio::time::sleep(Duration::from_millis(1)).await;
    })
    .await;
    seen
}
// ANCHOR_END: batch

#[tokio::main]
async fn main() {
    let log = "INFO up\nERROR disk full\n".to_string();
    let task = tokio::spawn(count_lines(log));
    println!("{}", task.await.unwrap());
}
