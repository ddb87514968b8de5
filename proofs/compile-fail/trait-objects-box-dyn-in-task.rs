// Claim: a struct that holds a `Box<dyn Trait>` is not `Send`, and cannot be moved into a
// spawned task, even when every type that implements the trait is `Send`: the box's type
// promises only the traits it names. (The shape of djc/instant-acme#25, a client holding
// `Box<dyn HttpClient>`.) A `Box<dyn Any>`, which names no `Send` either, fails the same
// way once it is alive at an `.await`.
//
// Book: "Trait objects" (src/culprits/trait-objects.md).

use std::any::Any;
use std::time::Duration;

// ANCHOR: client
trait HttpClient {
    fn get(&self, url: &str) -> String;
}

struct Client {
    http: Box<dyn HttpClient>,
}

async fn renew_certificate(client: Client) -> String {
    tokio::time::sleep(Duration::from_secs(1)).await;
    client.http.get("https://acme.example/new-order")
}
// ANCHOR_END: client

// ANCHOR: any
async fn plugin_result(value: Box<dyn Any>) -> Option<u64> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    value.downcast::<u64>().ok().map(|n| *n)
}
// ANCHOR_END: any

struct Plain;

impl HttpClient for Plain {
    fn get(&self, url: &str) -> String {
        url.to_owned()
    }
}

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let client = Client {
        http: Box::new(Plain),
    };
    let renewed = tokio::spawn(renew_certificate(client));
    let plugin = tokio::spawn(plugin_result(Box::new(7_u64)));
    // ANCHOR_END: spawn
    println!("{:?} {:?}", renewed.await.unwrap(), plugin.await.unwrap());
}
