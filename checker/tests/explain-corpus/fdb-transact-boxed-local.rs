// Reproduces: https://github.com/Clikengo/foundationdb-rs/issues/158 — a generic retry helper is given a closure that returns `.boxed_local()` futures, so the spawned task awaits a LocalBoxFuture in the retry loop.
// expect: kind=boxed-future shape=awaits-non-send-future culprit=`Future<Output = Result<u64, String>>` value=-
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

struct Db {
    name: String,
}

struct Tx {
    attempt: u32,
}

impl Db {
    async fn transact<F, Fut, T>(&self, mut body: F, max_retries: u32) -> Result<T, String>
    where
        F: FnMut(Tx) -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let mut attempt = 0;
        loop {
            match body(Tx { attempt }).await {
                Ok(v) => return Ok(v),
                Err(e) if attempt < max_retries => {
                    eprintln!("{}: retrying after {e}", self.name);
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

async fn work(tx: Tx) -> Result<u64, String> {
    if tx.attempt < 2 { Err("conflict".into()) } else { Ok(42) }
}

#[tokio::main]
async fn main() {
    let db = Arc::new(Db { name: "fdb".into() });
    let handle = tokio::spawn(async move {
        db.transact(|tx| -> LocalBoxFuture<'static, Result<u64, String>> { work(tx).boxed_local() }, 5)
            .await
            .unwrap()
    });
    println!("{}", handle.await.unwrap());
}
