// The probe example of "Finding the culprit" with its answer applied: `seen` is an
// `Arc<Mutex<…>>` and `remember` drops the guard before its `.await`. Every probe passes,
// and the job can be spawned.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn assert_send<T: Send>(_: &T) {}

async fn fetch(url: &str) -> String {
    tokio::time::sleep(Duration::from_millis(1)).await;
    url.to_owned()
}

async fn remember(seen: Arc<Mutex<HashMap<String, usize>>>, url: String, len: usize) {
    seen.lock().unwrap().insert(url, len);
    tokio::task::yield_now().await;
}

async fn summarise(urls: Vec<String>) -> usize {
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let mut total = 0;
    for url in &urls {
        let body = fetch(url).await;
        assert_send(&body);
        assert_send(&seen);
        let remembering = remember(seen.clone(), url.clone(), body.len());
        assert_send(&remembering);
        remembering.await;
        total += body.len();
    }
    let remembered = seen.lock().unwrap().len();
    assert_eq!(remembered, urls.len());
    total
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let total = runtime.block_on(async {
        tokio::spawn(summarise(vec!["a".into(), "bb".into()]))
            .await
            .unwrap()
    });
    assert_eq!(total, 3);
}
