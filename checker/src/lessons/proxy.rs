//! The internal proxy router of the proxy story (exercises 03–05) and its load balancer
//! (exercise 19): a simulated listener that hands over requests, simulated upstream
//! services, and the behaviour checks.
//!
//! The proxy is written the way a hand-rolled server is: an accept loop takes each request
//! from a [`Listener`] and spawns a task to answer it. Each request names a service
//! (`billing`, `search`, …) and a path; the proxy looks up which upstream serves that
//! service and forwards the path there with a [`Client`]. The route table can be replaced
//! at run time: [`Reloads`] delivers a new table whenever the configuration changes.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::join_all;
use tokio::sync::{mpsc, oneshot};

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long an upstream takes to answer a forwarded request.
pub const UPSTREAM_LATENCY: Duration = Duration::from_millis(20);

/// How many requests arrive at once in the concurrency part of the checks.
pub const CONCURRENT_REQUESTS: usize = 16;

/// The route table: which upstream (a base URL) serves each service.
pub type Routes = HashMap<String, String>;

/// Why the proxy could not answer a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyError {
    /// No route names this service.
    NoRoute(String),
    /// The upstream did not answer.
    Upstream(UpstreamError),
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyError::NoRoute(service) => write!(f, "no route for service {service:?}"),
            ProxyError::Upstream(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for ProxyError {}

impl From<UpstreamError> for ProxyError {
    fn from(err: UpstreamError) -> Self {
        ProxyError::Upstream(err)
    }
}

/// An upstream refused the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamError(String);

impl fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} refused the connection", self.0)
    }
}

impl std::error::Error for UpstreamError {}

/// An HTTP client for the upstream services. They are simulated: each answers after
/// [`UPSTREAM_LATENCY`] of (virtual) time, or refuses if it is down.
#[derive(Clone, Debug)]
pub struct Client {
    upstreams: Arc<Upstreams>,
}

#[derive(Debug, Default)]
struct Upstreams {
    down: Mutex<Vec<String>>,
    calls: Mutex<BTreeMap<String, usize>>,
    total: AtomicUsize,
}

impl Client {
    fn new() -> Self {
        Client {
            upstreams: Arc::new(Upstreams::default()),
        }
    }

    /// Forwards `path` to the upstream at `base` (a URL such as `http://billing.internal`)
    /// and returns the upstream's answer.
    pub async fn forward(&self, base: &str, path: &str) -> Result<String, UpstreamError> {
        self.upstreams.total.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut calls) = self.upstreams.calls.lock() {
            *calls.entry(base.to_owned()).or_default() += 1;
        }
        tokio::time::sleep(UPSTREAM_LATENCY).await;
        let down = self
            .upstreams
            .down
            .lock()
            .map(|down| down.iter().any(|d| d == base))
            .unwrap_or(true);
        if down {
            Err(UpstreamError(base.to_owned()))
        } else {
            Ok(answer(base, path))
        }
    }

    fn take_down(&self, base: &str) {
        if let Ok(mut down) = self.upstreams.down.lock() {
            down.push(base.to_owned());
        }
    }

    fn total_calls(&self) -> usize {
        self.upstreams.total.load(Ordering::SeqCst)
    }

    fn calls_by_upstream(&self) -> BTreeMap<String, usize> {
        self.upstreams
            .calls
            .lock()
            .map(|calls| calls.clone())
            .unwrap_or_default()
    }
}

/// What a healthy upstream at `base` answers for `path`.
fn answer(base: &str, path: &str) -> String {
    format!("{base}{path}: 200 OK")
}

/// The requests that reach the proxy, one at a time, like connections on a socket.
#[derive(Debug)]
pub struct Listener {
    incoming: mpsc::UnboundedReceiver<Request>,
}

impl Listener {
    /// Waits for the next request; `None` once the proxy is shutting down.
    pub async fn accept(&mut self) -> Option<Request> {
        self.incoming.recv().await
    }
}

/// One request to the proxy: `GET /{service}{path}`.
#[derive(Debug)]
pub struct Request {
    pub service: String,
    pub path: String,
    reply: oneshot::Sender<Result<String, ProxyError>>,
}

impl Request {
    /// Sends the answer back to whoever made the request.
    pub fn respond(self, response: Result<String, ProxyError>) {
        let _ = self.reply.send(response);
    }
}

/// New route tables, delivered whenever the proxy's configuration changes.
#[derive(Debug)]
pub struct Reloads {
    tables: mpsc::UnboundedReceiver<Routes>,
}

impl Reloads {
    /// Waits for the next route table; `None` once the proxy is shutting down.
    pub async fn next(&mut self) -> Option<Routes> {
        self.tables.recv().await
    }
}

/// The other end of a [`Listener`]: the checker's clients.
#[derive(Clone)]
struct Clients {
    incoming: mpsc::UnboundedSender<Request>,
}

impl Clients {
    async fn get(&self, service: &str, path: &str) -> Result<Result<String, ProxyError>, Failure> {
        let (reply, answered) = oneshot::channel();
        let request = Request {
            service: service.to_owned(),
            path: path.to_owned(),
            reply,
        };
        self.incoming
            .send(request)
            .map_err(|_| Failure::new("the proxy stopped accepting requests"))?;
        answered.await.map_err(|_| {
            Failure::new(format!(
                "the request for /{service}{path} was dropped without an answer \
                 (call `request.respond(…)` once the answer is known)"
            ))
        })
    }
}

fn listener() -> (Clients, Listener) {
    let (incoming, receiver) = mpsc::unbounded_channel();
    (Clients { incoming }, Listener { incoming: receiver })
}

fn initial_routes() -> Routes {
    [
        ("billing", "http://billing.internal"),
        ("search", "http://search.internal"),
        ("users", "http://users.internal"),
    ]
    .into_iter()
    .map(|(service, base)| (service.to_owned(), base.to_owned()))
    .collect()
}

/// Checks a proxy and ends the process with the verdict.
///
/// `start` receives the initial route table, the upstream client, the listener and the
/// stream of route reloads, and returns the proxy's main future (it should run until the
/// listener closes). It is polled beside the checker's clients, so it needs no `Send`
/// itself; whatever it spawns does.
pub fn check<F, Fut>(start: F) -> !
where
    F: FnOnce(Routes, Client, Listener, Reloads) -> Fut,
    Fut: Future<Output = ()>,
{
    harness::run("proxy router", async move {
        let client = Client::new();
        let (clients, listener) = listener();
        let (reload, tables) = mpsc::unbounded_channel();
        let proxy = start(
            initial_routes(),
            client.clone(),
            listener,
            Reloads { tables },
        );
        let checks = async {
            a_request_reaches_its_upstream(&clients).await?;
            an_unknown_service_is_refused(&clients, &client).await?;
            a_reload_changes_the_route(&clients, &reload).await?;
            requests_do_not_wait_for_each_other(&clients).await
        };
        serve_while(proxy, checks).await
    })
}

/// Runs the checks beside the code under test, which must keep running until they end.
pub(crate) async fn serve_while<P, C>(server: P, checks: C) -> Result<(), Failure>
where
    P: Future<Output = ()>,
    C: Future<Output = Result<(), Failure>>,
{
    tokio::select! {
        biased;
        outcome = checks => outcome,
        () = server => Err(Failure::new(
            "the server's loop ended while requests were still coming in",
        )),
    }
}

async fn a_request_reaches_its_upstream(clients: &Clients) -> Result<(), Failure> {
    let answer = clients.get("billing", "/invoices/7").await?;
    let expected = self::answer("http://billing.internal", "/invoices/7");
    ensure(answer.as_ref() == Ok(&expected), || {
        format!(
            "GET /billing/invoices/7 should be forwarded to billing and answer {expected:?}, but got {answer:?}"
        )
    })
}

async fn an_unknown_service_is_refused(clients: &Clients, client: &Client) -> Result<(), Failure> {
    let before = client.total_calls();
    let answer = clients.get("payroll", "/march").await?;
    ensure(answer == Err(ProxyError::NoRoute("payroll".into())), || {
        format!(
            "a request for a service with no route should answer ProxyError::NoRoute(\"payroll\"), but got {answer:?}"
        )
    })?;
    ensure(client.total_calls() == before, || {
        "a request for a service with no route still reached an upstream".into()
    })
}

async fn a_reload_changes_the_route(
    clients: &Clients,
    reload: &mpsc::UnboundedSender<Routes>,
) -> Result<(), Failure> {
    let mut routes = initial_routes();
    routes.insert("search".into(), "http://search-v2.internal".into());
    reload
        .send(routes)
        .map_err(|_| Failure::new("the proxy stopped listening for route reloads"))?;
    // Give the reload a moment (of virtual time) to be applied.
    tokio::time::sleep(Duration::from_millis(1)).await;
    let answer = clients.get("search", "/q?term=invoice").await?;
    let expected = self::answer("http://search-v2.internal", "/q?term=invoice");
    ensure(answer.as_ref() == Ok(&expected), || {
        format!(
            "after the routes were reloaded, search should go to http://search-v2.internal, \
             but the proxy answered {answer:?}"
        )
    })
}

async fn requests_do_not_wait_for_each_other(clients: &Clients) -> Result<(), Failure> {
    let services = ["billing", "search", "users"];
    let requests = (0..CONCURRENT_REQUESTS).map(|i| {
        let service = services[i % services.len()];
        let path = format!("/item/{i}");
        async move { clients.get(service, &path).await }
    });
    let (answers, elapsed) = timed(join_all(requests)).await;
    for answer in answers {
        let answer = answer?;
        ensure(answer.is_ok(), || {
            format!("a request among many at once failed: {answer:?}")
        })?;
    }
    ensure(elapsed < UPSTREAM_LATENCY * 2, || {
        format!(
            "{CONCURRENT_REQUESTS} requests at once took {:.1}× the upstream latency instead of \
             about 1×: each waited for the one before it (is a lock held while the request is \
             forwarded?)",
            times(elapsed, UPSTREAM_LATENCY)
        )
    })
}

/// The replicas of the search service that the load balancer of exercise 19 spreads
/// requests over. The second one is down for the whole check.
pub fn replicas() -> Vec<String> {
    (1..=3)
        .map(|i| format!("http://search-{i}.internal"))
        .collect()
}

/// How many requests the balancer check sends, one after the other.
pub const BALANCED_REQUESTS: usize = 90;

/// Checks a load balancer and ends the process with the verdict.
///
/// `start` receives the replicas of one service, the upstream client and the listener, and
/// returns the balancer's main future. Every request must be answered by a healthy replica,
/// trying the others when one refuses, and the load must be spread over all replicas.
pub fn check_balancer<F, Fut>(start: F) -> !
where
    F: FnOnce(Vec<String>, Client, Listener) -> Fut,
    Fut: Future<Output = ()>,
{
    harness::run("load balancer", async move {
        let client = Client::new();
        let down = replicas()[1].clone();
        client.take_down(&down);
        let (clients, listener) = listener();
        let balancer = start(replicas(), client.clone(), listener);
        let checks = async {
            for i in 0..BALANCED_REQUESTS {
                let path = format!("/q?page={i}");
                let answer = clients.get("search", &path).await?;
                let healthy = replicas()
                    .iter()
                    .filter(|r| **r != down)
                    .any(|r| answer.as_ref() == Ok(&self::answer(r, &path)));
                ensure(healthy, || {
                    format!(
                        "{path} should be answered by a healthy replica (trying the next one \
                         when a replica refuses), but the balancer answered {answer:?}"
                    )
                })?;
            }
            let calls = client.calls_by_upstream();
            // Each replica is the first choice of about a third of the requests; the odds
            // that a fair random choice never picks one of them are below 1 in 10^15.
            ensure(replicas().iter().all(|r| calls.contains_key(r)), || {
                format!(
                    "the load should be spread over every replica, but the calls were {calls:?}: \
                     pick the first replica at random"
                )
            })?;
            let clients = &clients;
            let requests = (0..CONCURRENT_REQUESTS).map(|i| {
                let path = format!("/burst/{i}");
                async move { clients.get("search", &path).await }
            });
            let (answers, elapsed) = timed(join_all(requests)).await;
            for answer in answers {
                answer?
                    .map_err(|err| Failure::new(format!("a request in a burst failed: {err}")))?;
            }
            // Some requests try the replica that is down first, so they take 2×.
            ensure(elapsed < UPSTREAM_LATENCY * 3, || {
                format!(
                    "{CONCURRENT_REQUESTS} requests at once took {:.1}× the upstream latency: \
                     they waited for each other",
                    times(elapsed, UPSTREAM_LATENCY)
                )
            })
        };
        serve_while(balancer, checks).await
    })
}
