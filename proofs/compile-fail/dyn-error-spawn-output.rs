// Claim: a future that holds no error across an `.await` can still be refused by
// `tokio::spawn` if it *returns* a `Box<dyn Error>`: `spawn` also asks for `F::Output: Send`,
// because the result is handed over to whoever awaits the `JoinHandle`, on any thread. The
// error is E0277 about the output, not "future cannot be sent". (This file does not use
// serde, so the compiler names the trait `std::error::Error` in full.)
//
// Book: "Box<dyn Error>" (src/other/dyn-error.md).

use std::error::Error;
use std::time::Duration;

async fn load(name: &str) -> Result<String, std::io::Error> {
    tokio::time::sleep(Duration::from_millis(10)).await;
    Ok(format!("{} ", name.len()))
}

// ANCHOR: count
async fn fetch_count(name: &str) -> Result<u32, Box<dyn Error>> {
    let text = load(name).await?;
    let count = text.trim().parse()?;
    Ok(count)
}
// ANCHOR_END: count

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let counting = tokio::spawn(fetch_count("inbox"));
    // ANCHOR_END: spawn
    println!("{:?}", counting.await.unwrap().is_ok());
}
