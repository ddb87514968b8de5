//! The read-through cache in front of a slow origin (exercises 11 and 12).
//!
//! A product catalogue renders pages slowly: the [`Origin`] takes [`ORIGIN_LATENCY`] for a
//! page. The app keeps the pages it has fetched and serves them again from memory. In
//! exercise 12 a cached page is fresh for [`TTL`]; after that, the app asks the origin to
//! *revalidate* it (cheap when the page has not changed: the origin answers "not
//! modified" for the page's ETag).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use futures::future::join_all;

use crate::harness::clock::{timed, times};
use crate::harness::http::{self, Reply};
use crate::harness::{self, Failure, ensure};

/// How long the origin takes to answer.
pub const ORIGIN_LATENCY: Duration = Duration::from_millis(200);

/// How long a cached page may be served without asking the origin (exercise 12).
pub const TTL: Duration = Duration::from_secs(10);

/// A page as the origin sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub body: String,
    /// Names this version of the page, for revalidation.
    pub etag: String,
}

/// What the origin says about a cached page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revalidated {
    /// The cached copy is still the current page.
    NotModified,
    /// The page changed: here is the new one.
    Modified(Page),
}

/// The origin could not serve a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginError {
    NotFound(String),
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OriginError::NotFound(path) => write!(f, "the origin has no page {path}"),
        }
    }
}

impl std::error::Error for OriginError {}

/// The origin server. Simulated: every answer takes [`ORIGIN_LATENCY`]. It has a page for
/// every product id made of digits; the check can publish new versions.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    inner: Arc<Mutex<OriginState>>,
}

#[derive(Debug, Default)]
struct OriginState {
    versions: HashMap<String, u32>,
    fetches: usize,
    revalidations: usize,
}

impl Origin {
    /// Fetches the page of product `id`.
    pub async fn fetch(&self, id: &str) -> Result<Page, OriginError> {
        self.with(|o| o.fetches += 1);
        tokio::time::sleep(ORIGIN_LATENCY).await;
        self.current(id)
    }

    /// Asks whether the page of product `id` is still the version named `etag`.
    pub async fn revalidate(&self, id: &str, etag: &str) -> Result<Revalidated, OriginError> {
        self.with(|o| o.revalidations += 1);
        tokio::time::sleep(ORIGIN_LATENCY).await;
        let page = self.current(id)?;
        Ok(if page.etag == etag {
            Revalidated::NotModified
        } else {
            Revalidated::Modified(page)
        })
    }

    fn current(&self, id: &str) -> Result<Page, OriginError> {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(OriginError::NotFound(id.to_owned()));
        }
        let version = self.with(|o| o.versions.get(id).copied().unwrap_or(1));
        Ok(page(id, version))
    }

    fn publish(&self, id: &str) {
        self.with(|o| *o.versions.entry(id.to_owned()).or_insert(1) += 1);
    }

    fn counts(&self) -> (usize, usize) {
        self.with(|o| (o.fetches, o.revalidations))
    }

    fn with<T>(&self, f: impl FnOnce(&mut OriginState) -> T) -> T
    where
        T: Default,
    {
        self.inner.lock().map(|mut o| f(&mut o)).unwrap_or_default()
    }
}

fn page(id: &str, version: u32) -> Page {
    Page {
        body: format!("product {id}, version {version}"),
        etag: format!("\"{id}-v{version}\""),
    }
}

async fn product(app: &Router, id: &str) -> Result<(Reply, Duration), Failure> {
    let (reply, elapsed) = timed(http::get(app, &format!("/products/{id}"))).await;
    Ok((reply?, elapsed))
}

async fn expect_page(
    app: &Router,
    id: &str,
    version: u32,
    when: &str,
) -> Result<Duration, Failure> {
    let (reply, elapsed) = product(app, id).await?;
    let expected = page(id, version).body;
    ensure(
        reply.status == StatusCode::OK && reply.body == expected,
        || {
            format!(
                "{when}, GET /products/{id} should answer {expected:?}, but got {} {:?}",
                reply.status, reply.body
            )
        },
    )?;
    Ok(elapsed)
}

/// Checks a read-through cache and ends the process with the verdict.
///
/// `app` receives the origin and returns the router. It must route `GET /products/{id}`:
/// the first request for a page fetches it from the origin, later ones are served from
/// memory; a page the origin does not have is a 404.
pub fn check(app: impl FnOnce(Origin) -> Router) -> ! {
    harness::run("read-through cache", async move {
        let origin = Origin::default();
        let app = app(origin.clone());

        expect_page(&app, "7", 1, "the first time").await?;
        let elapsed = expect_page(&app, "7", 1, "the second time").await?;
        ensure(origin.counts().0 == 1 && elapsed < ORIGIN_LATENCY, || {
            format!(
                "a page already fetched should be served from the cache, but the origin was \
                 asked {} times for it",
                origin.counts().0
            )
        })?;
        not_found_is_404(&app).await?;
        misses_and_hits_do_not_wait(&app, &origin, 1).await
    })
}

async fn not_found_is_404(app: &Router) -> Result<(), Failure> {
    let (reply, _) = product(app, "boots").await?;
    ensure(reply.status == StatusCode::NOT_FOUND, || {
        format!(
            "a product the origin does not have should be a 404, but got {} {:?}",
            reply.status, reply.body
        )
    })
}

/// `cached` is the version of page 7 in the cache by now.
async fn misses_and_hits_do_not_wait(
    app: &Router,
    origin: &Origin,
    cached: u32,
) -> Result<(), Failure> {
    let before = origin.counts();
    // Eight pages nobody asked for yet, and one that is cached, all at once.
    let misses = (100..108)
        .map(|id| async move { expect_page(app, &id.to_string(), 1, "among many").await });
    let hit = expect_page(app, "7", cached, "while other pages were being fetched");
    let ((misses, hit), elapsed) = timed(async { tokio::join!(join_all(misses), hit) }).await;
    for miss in misses {
        miss?;
    }
    let hit = hit?;
    ensure(hit < ORIGIN_LATENCY, || {
        format!(
            "a cached page took {} ms while other pages were being fetched: a hit should not \
             wait for the origin (is a lock held while a page is fetched?)",
            hit.as_millis()
        )
    })?;
    ensure(elapsed < ORIGIN_LATENCY * 2, || {
        format!(
            "8 pages fetched at once took {:.1}× the origin's latency instead of about 1×: \
             each waited for the one before it",
            times(elapsed, ORIGIN_LATENCY)
        )
    })?;
    ensure(origin.counts().0 - before.0 == 8, || {
        "each page missing from the cache should be fetched from the origin once".into()
    })
}

/// Checks a cache that revalidates stale pages, and ends the process with the verdict.
///
/// Like [`check`], and also: a cached page is served from memory for [`TTL`]; a request
/// after that revalidates it with the origin, serves the cached copy again if the origin
/// says it is not modified (and keeps it fresh for another [`TTL`]), or the new page if it
/// changed (and caches that).
pub fn check_revalidating(app: impl FnOnce(Origin) -> Router) -> ! {
    harness::run("revalidating cache", async move {
        let origin = Origin::default();
        let app = app(origin.clone());

        expect_page(&app, "7", 1, "the first time").await?;
        expect_page(&app, "7", 1, "while the page is fresh").await?;
        ensure(origin.counts() == (1, 0), || {
            format!(
                "a fresh page should be served from memory, but the origin got {} fetches and \
                 {} revalidations",
                origin.counts().0,
                origin.counts().1
            )
        })?;

        tokio::time::sleep(TTL).await;
        expect_page(&app, "7", 1, "once the page is stale and unchanged").await?;
        ensure(origin.counts() == (1, 1), || {
            format!(
                "a stale page should be revalidated (not fetched again): the origin got {} \
                 fetches and {} revalidations",
                origin.counts().0,
                origin.counts().1
            )
        })?;
        expect_page(&app, "7", 1, "right after a revalidation").await?;
        ensure(origin.counts() == (1, 1), || {
            "a page the origin just confirmed should be fresh again for the TTL".to_owned()
        })?;

        origin.publish("7");
        tokio::time::sleep(TTL).await;
        expect_page(&app, "7", 2, "once the page is stale and has changed").await?;
        expect_page(&app, "7", 2, "after the new version was cached").await?;
        ensure(origin.counts() == (1, 2), || {
            format!(
                "the new version should come with the revalidation and then be cached: the \
                 origin got {} fetches and {} revalidations",
                origin.counts().0,
                origin.counts().1
            )
        })?;

        not_found_is_404(&app).await?;
        misses_and_hits_do_not_wait(&app, &origin, 2).await
    })
}
