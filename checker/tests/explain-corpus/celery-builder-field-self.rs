// Reproduces: https://github.com/rusty-celery/rusty-celery/issues/66 — an app stores `Box<dyn BrokerBuilder + Send>` in a field; a spawned task owns the app and awaits a `&self` method that calls the builder; the trait object is not Sync.
// expect: kind=not-sync-ref shape=held-across-await culprit=`dyn BrokerBuilder + Send` value=self
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

struct Broker {
    url: String,
}

trait BrokerBuilder {
    fn build(&self, timeout: u32) -> Pin<Box<dyn Future<Output = Broker> + Send + '_>>;
}

struct AmqpBuilder {
    url: String,
}

impl BrokerBuilder for AmqpBuilder {
    fn build(&self, timeout: u32) -> Pin<Box<dyn Future<Output = Broker> + Send + '_>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(timeout as u64)).await;
            Broker { url: self.url.clone() }
        })
    }
}

struct App {
    name: String,
    builder: Box<dyn BrokerBuilder + Send>,
}

impl App {
    async fn connect(&self) -> Broker {
        let broker = self.builder.build(10).await;
        println!("{} connected to {}", self.name, broker.url);
        broker
    }
}

#[tokio::main]
async fn main() {
    let app = App {
        name: "worker".into(),
        builder: Box::new(AmqpBuilder { url: "amqp://localhost".into() }),
    };
    let h = tokio::spawn(async move { app.connect().await.url });
    println!("{}", h.await.unwrap());
}
