// Reproduces: https://github.com/geldata/gel-rust/issues/193 — a transaction retry loop walks anyhow's error chain and sleeps while a `&dyn Error` from the chain is still in hand.
// expect: kind=dyn-error shape=held-across-await culprit=`dyn std::error::Error` value=cause
// expect-line: await=36
use std::time::Duration;

use anyhow::{Context, anyhow};

#[derive(Debug)]
struct SerializationConflict;

impl std::fmt::Display for SerializationConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("could not serialize access")
    }
}

impl std::error::Error for SerializationConflict {}

async fn try_commit(attempt: u32) -> anyhow::Result<()> {
    if attempt < 2 {
        Err(anyhow!(SerializationConflict)).context("commit failed")
    } else {
        Ok(())
    }
}

async fn transaction() -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        let Err(error) = try_commit(attempt).await else {
            return Ok(());
        };
        for cause in error.chain() {
            if cause.is::<SerializationConflict>() {
                println!("retrying after: {cause}");
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        attempt += 1;
    }
}

#[tokio::main]
async fn main() {
    let job = tokio::spawn(transaction());
    println!("{:?}", job.await.unwrap());
}
