// Claim: with `Box<dyn Error + Send + Sync>` as its error type, the same function can be
// spawned: the `?`s convert `io::Error` and `ParseIntError` into it as they did into
// `Box<dyn Error>`, and the task's output is `Send`. `anyhow::Error` works the same way,
// because it is itself `Send + Sync`.
//
// Book: "Box<dyn Error>" (src/other/dyn-error.md).

use std::error::Error;
use std::time::Duration;

async fn load(name: &str) -> Result<String, std::io::Error> {
    tokio::time::sleep(Duration::from_millis(10)).await;
    Ok(format!("{} ", name.len()))
}

// ANCHOR: count
type BoxError = Box<dyn Error + Send + Sync>;

async fn fetch_count(name: &str) -> Result<u32, BoxError> {
    let text = load(name).await?;
    let count = text.trim().parse()?;
    Ok(count)
}
// ANCHOR_END: count

async fn fetch_count_anyhow(name: &str) -> anyhow::Result<u32> {
    let text = load(name).await?;
    let count = text.trim().parse()?;
    Ok(count)
}

fn assert_send_sync<T: Send + Sync>() {}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // `tokio::spawn` demands a `Send` output: that these compile is the proof.
    let count = tokio::spawn(fetch_count("inbox")).await.unwrap();
    assert_eq!(count.unwrap(), 5);
    let count = tokio::spawn(fetch_count_anyhow("inbox")).await.unwrap();
    assert_eq!(count.unwrap(), 5);

    // The two error types themselves.
    assert_send_sync::<BoxError>();
    assert_send_sync::<anyhow::Error>();
}
