// Reproduces: https://github.com/rust-lang/rust/issues/57017 — a `match` on a method of shared state with an `.await` in one arm keeps the scrutinee's borrow alive through the arm; here the borrow is a std RwLock read guard.
// expect: kind=std-rwlock-guard shape=match-scrutinee culprit=`RwLockReadGuard<'_, Config>` value=config.read()
// expect-line: await=42
use std::sync::{Arc, RwLock};
use std::time::Duration;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Cached,
    Live,
}

struct Config {
    mode: Mode,
    upstream: String,
}

impl Config {
    fn mode(&self) -> Mode {
        self.mode
    }
}

async fn fetch_upstream(url: String) -> String {
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("fresh from {url}")
}

#[tokio::main]
async fn main() {
    let config = Arc::new(RwLock::new(Config {
        mode: Mode::Live,
        upstream: "http://origin.internal".into(),
    }));
    let handler = tokio::spawn({
        let config = Arc::clone(&config);
        async move {
            match config.read().unwrap().mode() {
                Mode::Cached => "from cache".to_string(),
                Mode::Live => {
                    let url = config.read().unwrap().upstream.clone();
                    fetch_upstream(url).await
                }
            }
        }
    });
    println!("{}", handler.await.unwrap());
}
