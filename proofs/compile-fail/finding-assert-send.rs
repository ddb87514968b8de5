// The probe from "Finding the culprit": a function that compiles only for `Send`
// arguments, put next to each suspect (a value after an `.await`, or the future of a
// call), names the culprit on the line where it stands. The spawn is left out, so only
// the probes speak.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: probe
/// Compiles only if `T` is `Send`: put it next to a suspect.
fn assert_send<T: Send>(_: &T) {}
// ANCHOR_END: probe

async fn fetch(url: &str) -> String {
    tokio::time::sleep(Duration::from_millis(1)).await;
    url.to_owned()
}

/// A helper from elsewhere in the code base; is its future `Send`?
async fn remember(seen: Rc<RefCell<HashMap<String, usize>>>, url: String, len: usize) {
    tokio::task::yield_now().await;
    seen.borrow_mut().insert(url, len);
}

// ANCHOR: job
async fn summarise(urls: Vec<String>) -> usize {
    let seen = Rc::new(RefCell::new(HashMap::new()));
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
    total
}
// ANCHOR_END: job

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("{}", runtime.block_on(summarise(vec!["a".into()])));
}
