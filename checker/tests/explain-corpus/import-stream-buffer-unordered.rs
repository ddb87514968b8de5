// Reproduces: https://github.com/rust-lang/rust/issues/89976 — a method streams over borrowed strings with a closure that returns futures and buffer_unordered; spawning its caller fails with "implementation of `FnOnce` is not general enough".
// expect: kind=none shape=not-general-enough culprit=`&'0 String` value=-
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;

struct Importer {
    target: String,
}

impl Importer {
    async fn import(&self, name: &String) -> usize {
        tokio::time::sleep(Duration::from_millis(1)).await;
        name.len() + self.target.len()
    }

    async fn import_all(&self, names: Arc<Vec<String>>) -> usize {
        let sizes: Vec<usize> = futures::stream::iter(&*names)
            .map(|name| async move { self.import(name).await })
            .buffer_unordered(4)
            .collect()
            .await;
        sizes.into_iter().sum()
    }
}

#[tokio::main]
async fn main() {
    let importer = Arc::new(Importer {
        target: "warehouse".into(),
    });
    let names = Arc::new(vec!["orders.csv".to_string(), "users.csv".to_string()]);
    let job = tokio::spawn(async move { importer.import_all(names).await });
    println!("{}", job.await.unwrap());
}
