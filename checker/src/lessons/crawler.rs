//! The news crawler (the exercise `crawler-html-across-await`).
//!
//! A crawler collects the headlines of a news site. Each section has an index page that
//! links to its articles with `<a class="article" href="…">`; each article page has its
//! headline in an `<h1>`. The [`Site`] answers every page after [`FETCH_LATENCY`]. The
//! sections are crawled side by side.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::clock::{timed, times};
use crate::harness::{self, ensure};

/// How long the site takes to send a page.
pub const FETCH_LATENCY: Duration = Duration::from_millis(100);

/// The sections of the site, and how many articles each links to.
const SECTIONS: [(&str, u32); 3] = [("news", 4), ("sport", 2), ("science", 3)];

/// One headline the crawler found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Article {
    /// The article's path, as its index page links to it: `/news/2`.
    pub url: String,
    /// The text of the article's `<h1>`.
    pub title: String,
}

/// The site could not send a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError(String);

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FetchError {}

/// An HTTP client for the news site. Simulated; `Send`, `Sync` and cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Site {
    fetches: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl Site {
    /// The HTML of the page at `path` (`/news`, `/news/2`), after [`FETCH_LATENCY`].
    pub async fn fetch(&self, path: &str) -> Result<String, FetchError> {
        if let Ok(mut fetches) = self.fetches.lock() {
            *fetches.entry(path.to_owned()).or_default() += 1;
        }
        tokio::time::sleep(FETCH_LATENCY).await;
        page(path).ok_or_else(|| FetchError(format!("404 for {path}")))
    }
}

fn page(path: &str) -> Option<String> {
    let mut parts = path.trim_start_matches('/').split('/');
    let section = parts.next()?;
    let (name, articles) = SECTIONS.iter().find(|(name, _)| *name == section)?;
    match parts.next() {
        None => {
            let mut html = format!(
                "<html><head><title>{name}</title></head><body>\
                 <nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav><ul>"
            );
            for n in 1..=*articles {
                html.push_str(&format!(
                    "<li><a class=\"article\" href=\"/{name}/{n}\">Read more</a></li>"
                ));
            }
            html.push_str("</ul></body></html>");
            Some(html)
        }
        Some(n) => {
            let n: u32 = n.parse().ok().filter(|n| (1..=*articles).contains(n))?;
            Some(format!(
                "<html><body><h1>{}</h1><p>Story.</p></body></html>",
                headline(name, n)
            ))
        }
    }
}

fn headline(section: &str, n: u32) -> String {
    format!("{section} story {n}")
}

/// Checks a crawler and ends the process with the verdict.
///
/// `start` receives the site and the paths of the section index pages, and returns a
/// future that finds every article's headline. With the sections crawled side by side, that
/// takes no longer than the largest section crawled alone.
pub fn check<F, Fut>(start: F) -> !
where
    F: FnOnce(Site, Vec<String>) -> Fut,
    Fut: Future<Output = Vec<Article>>,
{
    harness::run("news crawler", async move {
        let site = Site::default();
        let fetches = Arc::clone(&site.fetches);
        let sections = SECTIONS
            .iter()
            .map(|(name, _)| format!("/{name}"))
            .collect();

        let (mut found, elapsed) = timed(start(site, sections)).await;
        found.sort();
        let mut expected: Vec<Article> = SECTIONS
            .iter()
            .flat_map(|(name, articles)| {
                (1..=*articles).map(move |n| Article {
                    url: format!("/{name}/{n}"),
                    title: headline(name, n),
                })
            })
            .collect();
        expected.sort();
        ensure(found == expected, || {
            format!("the crawler found {found:?}, but the site has {expected:?}")
        })?;

        let fetches = fetches.lock().map(|f| f.clone()).unwrap_or_default();
        ensure(fetches.values().all(|n| *n == 1), || {
            format!("each page should be fetched once, but the site saw {fetches:?}")
        })?;
        let largest = SECTIONS.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let allowed = FETCH_LATENCY * (1 + largest);
        ensure(elapsed <= allowed, || {
            format!(
                "the crawl took {:.1}× the time of the largest section crawled alone: the \
                 sections were not crawled side by side",
                times(elapsed, allowed)
            )
        })
    })
}
