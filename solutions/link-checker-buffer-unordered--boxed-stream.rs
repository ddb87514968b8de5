// # The link checker that was not general enough
//
// Story: the documentation site's link checker sends a HEAD request to every link on a
// page, four at a time with `buffer_unordered`, and reports the links that do not answer
// 200. Each page is checked in a task of its own, so that many pages are checked at once.
//
// What is wrong: it does not compile. There is no lock, no `Rc`, no `RefCell`: the error
// says that an "implementation of `FnOnce` is not general enough", and points at the
// `tokio::spawn`. The shape comes from real reports:
// https://github.com/rust-lang/rust/issues/89976 and
// https://github.com/rgreinho/trauma/issues/85.
//
// What to do: make it compile, still checking at most `MAX_IN_FLIGHT` links at a time,
// in a spawned task.
//
// Book: "When the compiler cannot prove it" (src/culprits/not-general-enough.md).

use std::sync::Arc;

use checker::links::{DocPage, MAX_IN_FLIGHT, Web};
use futures::stream::{self, StreamExt};
use tokio::task::JoinHandle;

// ANCHOR: broken_links
/// The links of `page` that do not answer 200, asked at most `MAX_IN_FLIGHT` at a time.
async fn broken_links(web: &Web, page: DocPage) -> Vec<String> {
    // `.boxed()` proves the stream `Send` here, where the compiler still knows the
    // borrow's lifetime, and the future keeps only a `dyn Stream + Send` across the await.
    let answers: Vec<(&String, u16)> = stream::iter(page.links.iter())
        .map(|link| async move { (link, web.status(link).await) })
        .buffer_unordered(MAX_IN_FLIGHT)
        .boxed()
        .collect()
        .await;
    answers
        .into_iter()
        .filter(|(_, status)| *status != 200)
        .map(|(link, _)| link.clone())
        .collect()
}
// ANCHOR_END: broken_links

// ANCHOR: start_check
/// Checks a page in the background; many pages are checked at once.
fn start_check(web: Arc<Web>, page: DocPage) -> JoinHandle<Vec<String>> {
    tokio::spawn(async move { broken_links(&web, page).await })
}
// ANCHOR_END: start_check

// ---------------------------------------------------------------------------------------
// The checker's part: it checks a page with ten links, three of them broken. No need to
// change it.

fn main() {
    checker::links::check(start_check);
}
