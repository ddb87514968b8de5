// Reproduces: https://github.com/alexjg/samod/issues/1 — a library's async `load()` keeps a ThreadRng alive across its own awaits, so every caller that awaits it inside a spawned task fails.
// expect: kind=thread-rng shape=held-across-await culprit=`Rc<UnsafeCell<ReseedingRng` value=rng
// expect-line: await=26
use std::collections::HashMap;
use std::time::Duration;

use rand::Rng;

/// Stands for the library: a repository that opens its storage under a fresh peer id.
mod repo {
    use super::*;

    pub struct Builder {
        pub storage: HashMap<u64, Vec<u8>>,
    }

    pub struct Repo {
        pub peer_id: u64,
        pub documents: usize,
    }

    impl Builder {
        pub async fn load(self) -> Repo {
            let mut rng = rand::rng();
            let peer_id: u64 = rng.random();
            tokio::time::sleep(Duration::from_millis(1)).await;
            let salt: u64 = rng.random();
            Repo {
                peer_id: peer_id ^ salt,
                documents: self.storage.len(),
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let builder = repo::Builder {
        storage: HashMap::from([(1, b"doc".to_vec())]),
    };
    let sync_task = tokio::spawn(async move {
        let repo = builder.load().await;
        println!("peer {} with {} documents", repo.peer_id, repo.documents);
    });
    sync_task.await.unwrap();
}
