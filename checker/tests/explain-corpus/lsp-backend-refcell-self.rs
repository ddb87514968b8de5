// Reproduces: https://github.com/phillord/horned-owl/issues/149 — a language server's backend holds an index with a RefCell inside, and every `&self` method of a Send `#[async_trait]` trait captures `&Backend`, even one that never awaits.
// expect: kind=not-sync-ref shape=captured culprit=`RefCell<BTreeMap<String, usize>>` value=self
// expect: kind=not-sync-ref shape=captured culprit=`RefCell<BTreeMap<String, usize>>` value=self
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;

#[async_trait]
trait LanguageServer {
    async fn did_open(&self, uri: String, text: String);
    async fn shutdown(&self);
}

/// The ontology index: term → line, rebuilt lazily.
struct Index {
    terms: RefCell<BTreeMap<String, usize>>,
}

struct Backend {
    index: Index,
}

async fn publish_diagnostics(uri: &str, count: usize) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("{uri}: {count} terms");
}

#[async_trait]
impl LanguageServer for Backend {
    async fn did_open(&self, uri: String, text: String) {
        for (line, word) in text.lines().enumerate() {
            self.index.terms.borrow_mut().insert(word.to_string(), line);
        }
        let count = self.index.terms.borrow().len();
        publish_diagnostics(&uri, count).await;
    }

    async fn shutdown(&self) {}
}

#[tokio::main]
async fn main() {
    let backend = Backend {
        index: Index {
            terms: RefCell::new(BTreeMap::new()),
        },
    };
    backend
        .did_open("file:///pizza.owl".into(), "Pizza\nTopping".into())
        .await;
    backend.shutdown().await;
}
