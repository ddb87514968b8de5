// Reproduces: https://github.com/fluffysquirrels/mqtt-async-client-rs/issues/2 — a subscription stream built with stream::unfold borrows a client that keeps its packet ids in a RefCell, and `.boxed()` requires the stream to be Send.
// expect: kind=not-sync-ref shape=captured culprit=`RefCell<Vec<u16>>` value=-
use futures::stream::{self, BoxStream, StreamExt};
use std::cell::RefCell;
use std::time::Duration;

struct Client {
    free_pids: RefCell<Vec<u16>>,
}

impl Client {
    async fn read_subscription(&self) -> Option<String> {
        let pid = self.free_pids.borrow_mut().pop()?;
        tokio::time::sleep(Duration::from_millis(1)).await;
        Some(format!("message for pid {pid}"))
    }
}

fn subscriptions(client: &Client) -> BoxStream<'_, String> {
    stream::unfold(client, |c| async move { c.read_subscription().await.map(|m| (m, c)) }).boxed()
}

#[tokio::main]
async fn main() {
    let client = Client { free_pids: RefCell::new(vec![1, 2, 3]) };
    let msgs: Vec<String> = subscriptions(&client).collect().await;
    println!("{msgs:?}");
}
