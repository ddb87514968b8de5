//! The link checker (the page "When the compiler cannot prove it").
//!
//! A documentation site asks for its pages to be checked for broken links. For each page,
//! the checker sends a HEAD request to every link on it, a few at a time so as not to
//! hammer anyone's server, and reports the links that do not answer `200`. Pages are
//! checked in background tasks, several at once.
//!
//! The simulated [`Web`] answers each HEAD request after [`HEAD_LATENCY`], and counts how
//! many requests are in flight at once.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long a HEAD request takes.
pub const HEAD_LATENCY: Duration = Duration::from_millis(50);

/// How many HEAD requests one page's check may have in flight at once.
pub const MAX_IN_FLIGHT: usize = 4;

/// A page of the site, with the links found on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocPage {
    pub url: String,
    pub links: Vec<String>,
}

#[derive(Debug, Default)]
struct Traffic {
    in_flight: usize,
    peak: usize,
    asked: BTreeMap<String, usize>,
}

/// The outside world, as seen through HEAD requests. `Send` and `Sync`: share it in an `Arc`.
#[derive(Debug, Default)]
pub struct Web {
    statuses: HashMap<String, u16>,
    traffic: Mutex<Traffic>,
}

impl Web {
    /// Sends a HEAD request to `url` and returns the status code of the answer (`404` for
    /// a page that does not exist).
    pub async fn status(&self, url: &str) -> u16 {
        if let Ok(mut traffic) = self.traffic.lock() {
            traffic.in_flight += 1;
            traffic.peak = traffic.peak.max(traffic.in_flight);
            *traffic.asked.entry(url.to_owned()).or_default() += 1;
        }
        tokio::time::sleep(HEAD_LATENCY).await;
        if let Ok(mut traffic) = self.traffic.lock() {
            traffic.in_flight -= 1;
        }
        self.statuses.get(url).copied().unwrap_or(404)
    }
}

fn site() -> (Web, DocPage) {
    let mut statuses = HashMap::new();
    let mut links = Vec::new();
    for i in 0..10 {
        let url = format!("https://docs.example.com/guide/{i}");
        // Three of them are broken: two are gone, one server is failing.
        match i {
            3 | 7 => {}
            5 => {
                statuses.insert(url.clone(), 500);
            }
            _ => {
                statuses.insert(url.clone(), 200);
            }
        }
        links.push(url);
    }
    let page = DocPage {
        url: "https://docs.example.com/guide".into(),
        links,
    };
    let web = Web {
        statuses,
        traffic: Mutex::default(),
    };
    (web, page)
}

/// Checks a link checker and ends the process with the verdict.
///
/// `start_check` receives the web and a page with ten links, three of them broken, and
/// returns the handle of a spawned task whose output is the broken links, in any order.
/// Every link must be asked once, with at most [`MAX_IN_FLIGHT`] requests in flight at
/// once, and the check must take no longer than that many side by side allow.
pub fn check<F>(start_check: F) -> !
where
    F: FnOnce(Arc<Web>, DocPage) -> JoinHandle<Vec<String>>,
{
    harness::run("link checker", async move {
        let (web, page) = site();
        let links = page.links.clone();
        let web = Arc::new(web);
        let task = start_check(Arc::clone(&web), page);
        let (joined, elapsed) = timed(task).await;
        let mut broken = joined.map_err(|err| Failure::new(format!("the task failed: {err}")))?;
        broken.sort();
        let expected: Vec<String> = [3, 5, 7]
            .iter()
            .map(|i| format!("https://docs.example.com/guide/{i}"))
            .collect();
        ensure(broken == expected, || {
            format!("the broken links are {expected:?}, but the check reported {broken:?}")
        })?;

        let traffic = web.traffic.lock().map_err(|_| Failure::new("poisoned"))?;
        let asked_once = links.iter().all(|l| traffic.asked.get(l) == Some(&1));
        ensure(asked_once && traffic.asked.len() == links.len(), || {
            format!(
                "every link should be asked exactly once, but the requests were {:?}",
                traffic.asked
            )
        })?;
        ensure(traffic.peak <= MAX_IN_FLIGHT, || {
            format!(
                "{} requests were in flight at once; the limit is {MAX_IN_FLIGHT}",
                traffic.peak
            )
        })?;
        let rounds = links.len().div_ceil(MAX_IN_FLIGHT);
        ensure(elapsed <= HEAD_LATENCY * rounds as u32, || {
            format!(
                "checking {} links took {:.1}× one request; {MAX_IN_FLIGHT} at a time take \
                 {rounds}×: the links were not checked side by side",
                links.len(),
                times(elapsed, HEAD_LATENCY)
            )
        })
    })
}
