// Reproduces: https://github.com/djc/instant-acme/issues/25 — the ACME client stores its HTTP client as `Box<dyn HttpClient>` without + Send, so creating an account inside a spawned task fails.
// expect: kind=dyn-trait shape=held-across-await culprit=`dyn HttpClient` value=client
// expect-line: await=34
use std::time::Duration;

trait HttpClient {
    fn post(&self, url: &str, body: &str) -> String;
}

struct DefaultClient;

impl HttpClient for DefaultClient {
    fn post(&self, url: &str, body: &str) -> String {
        format!("201 {url} {}", body.len())
    }
}

struct Account {
    http: Box<dyn HttpClient>,
    directory: String,
}

async fn fetch_nonce(directory: &str) -> String {
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("nonce-for-{directory}")
}

impl Account {
    async fn create(directory: String) -> String {
        let client = Account {
            http: Box::new(DefaultClient),
            directory,
        };
        let nonce = fetch_nonce(&client.directory).await;
        client.http.post(&client.directory, &nonce)
    }
}

#[tokio::main]
async fn main() {
    let task = tokio::spawn(Account::create("https://acme.example/dir".into()));
    println!("{}", task.await.unwrap());
}
