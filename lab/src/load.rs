//! The load generator: `concurrency` HTTP/1.1 clients, each on its own keep-alive connection,
//! each sending its next request as soon as the previous answer arrives (a closed loop, as
//! `oha` and `wrk` do by default).
//!
//! A run is bounded: a warm-up that ends once every client has had an answer (or at a
//! ceiling), then a fixed measuring window, then every client is stopped, whatever it was
//! waiting for. Only answers that arrive inside the window are counted, so the numbers
//! describe the steady state and not the ramp-up.

use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::body::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::client::conn::http1;
use hyper::header::HOST;
use hyper::http::uri::{Authority, PathAndQuery};
use hyper::{StatusCode, Uri};
use hyper_util::rt::TokioIo;
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// What to send, how many at once, and for how long.
#[derive(Debug, Clone)]
pub struct LoadPlan {
    pub url: Uri,
    pub concurrency: usize,
    pub timing: Timing,
}

/// The bounds of one run.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Timing {
    /// The warm-up lasts at least this long...
    #[serde(with = "seconds")]
    pub warm_up_min: Duration,
    /// ...and at most this long, even if some client never got an answer.
    #[serde(with = "seconds")]
    pub warm_up_max: Duration,
    /// The window in which answers are counted.
    #[serde(with = "seconds")]
    pub measure: Duration,
    /// A request still unanswered after this long counts as an error.
    #[serde(with = "seconds")]
    pub request_timeout: Duration,
}

impl Timing {
    /// Short enough for a test; the numbers it gives mean nothing.
    pub fn tiny() -> Self {
        Self {
            warm_up_min: Duration::ZERO,
            warm_up_max: Duration::from_secs(2),
            measure: Duration::from_millis(100),
            request_timeout: Duration::from_secs(5),
        }
    }
}

/// What one run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoadReport {
    pub concurrency: usize,
    /// Successful answers inside the window.
    pub answers: u64,
    /// Failed requests inside the window (error status, broken connection, time-out).
    pub errors: u64,
    /// The window's real length.
    #[serde(with = "seconds")]
    pub window: Duration,
    /// How long the warm-up took.
    #[serde(with = "seconds")]
    pub warm_up: Duration,
    pub latency: Percentiles,
}

impl LoadReport {
    /// Successful answers per second.
    pub fn throughput(&self) -> f64 {
        self.answers as f64 / self.window.as_secs_f64()
    }
}

/// Latency of the successful answers, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Percentiles {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

/// Runs `plan` to its end, or until `cancel` fires (then the report covers what was measured).
pub async fn run(
    plan: &LoadPlan,
    progress: &ProgressBar,
    cancel: &CancellationToken,
) -> Result<LoadReport> {
    if plan.concurrency == 0 {
        bail!("concurrency must be at least 1");
    }
    let target = Target::parse(&plan.url)?;
    let recorder = Arc::new(Recorder::new()?);

    // Connect every client before the clock starts: a server that cannot be reached is an
    // error to report, not a slow run.
    let mut clients = JoinSet::new();
    for _ in 0..plan.concurrency {
        let connection = target.connect().await?;
        let client = Client {
            target: target.clone(),
            recorder: Arc::clone(&recorder),
            request_timeout: plan.timing.request_timeout,
        };
        clients.spawn(client.run(connection));
    }

    let started = Instant::now();
    progress.set_message(format!("c={} warming up", plan.concurrency));
    let everyone_answered = async {
        while recorder.clients_answered.load(Ordering::SeqCst) < plan.concurrency {
            recorder.first_answer.notified().await;
        }
    };
    tokio::select! {
        _ = tokio::time::timeout(plan.timing.warm_up_max, everyone_answered) => {}
        _ = cancel.cancelled() => {}
    }
    let elapsed = started.elapsed();
    if elapsed < plan.timing.warm_up_min {
        tokio::select! {
            _ = tokio::time::sleep(plan.timing.warm_up_min - elapsed) => {}
            _ = cancel.cancelled() => {}
        }
    }

    let warm_up = started.elapsed();
    let window_start = Instant::now();
    recorder.phase.store(MEASURING, Ordering::SeqCst);
    let window_end = window_start + plan.timing.measure;
    while Instant::now() < window_end && !cancel.is_cancelled() {
        let tick = Duration::from_millis(100).min(window_end - Instant::now());
        tokio::select! {
            _ = tokio::time::sleep(tick) => {}
            _ = cancel.cancelled() => {}
        }
        progress.set_message(format!(
            "c={} measuring: {} answers",
            plan.concurrency,
            recorder.answers.load(Ordering::Relaxed)
        ));
        progress.tick();
    }
    recorder.phase.store(STOPPED, Ordering::SeqCst);
    let window = window_start.elapsed();
    // Clients may be waiting on an answer that takes seconds (the held lock's queue):
    // stop them now rather than wait. Dropping a client closes its connection.
    clients.shutdown().await;

    let histogram = recorder
        .latency_us
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    Ok(LoadReport {
        concurrency: plan.concurrency,
        answers: recorder.answers.load(Ordering::SeqCst),
        errors: recorder.errors.load(Ordering::SeqCst),
        window,
        warm_up,
        latency: percentiles(&histogram),
    })
}

/// One GET to `url` on a fresh connection: the status and the body. For checking that a
/// server answers what it should before loading it.
pub async fn fetch_once(url: &Uri) -> Result<(StatusCode, String)> {
    let target = Target::parse(url)?;
    let (mut sender, connection) = target.connect().await?;
    let driver = tokio::spawn(connection);
    let response = sender
        .send_request(target.request())
        .await
        .with_context(|| format!("GET {url} failed"))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .with_context(|| format!("the answer to GET {url} broke off"))?
        .to_bytes();
    drop(sender);
    driver.abort();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

const WARMING_UP: u8 = 0;
const MEASURING: u8 = 1;
const STOPPED: u8 = 2;

/// What every client reports into.
struct Recorder {
    phase: AtomicU8,
    clients_answered: AtomicUsize,
    first_answer: Notify,
    answers: AtomicU64,
    errors: AtomicU64,
    // A std mutex held for one `record` call and never across an `.await`: the pattern
    // the book recommends, and cheap at a few thousand answers per second.
    latency_us: Mutex<Histogram<u64>>,
}

impl Recorder {
    fn new() -> Result<Self> {
        // 1 µs to 5 minutes at 3 significant digits: a request times out long before that.
        let histogram = Histogram::new_with_bounds(1, 300_000_000, 3)
            .context("could not create the latency histogram")?;
        Ok(Self {
            phase: AtomicU8::new(WARMING_UP),
            clients_answered: AtomicUsize::new(0),
            first_answer: Notify::new(),
            answers: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            latency_us: Mutex::new(histogram),
        })
    }

    fn stopped(&self) -> bool {
        self.phase.load(Ordering::SeqCst) == STOPPED
    }

    fn first_answer_of_a_client(&self) {
        self.clients_answered.fetch_add(1, Ordering::SeqCst);
        self.first_answer.notify_one();
    }

    fn answer(&self, latency: Duration) {
        if self.phase.load(Ordering::SeqCst) != MEASURING {
            return;
        }
        self.answers.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.latency_us
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .saturating_record(micros.max(1));
    }

    fn error(&self) {
        if self.phase.load(Ordering::SeqCst) == MEASURING {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn percentiles(histogram: &Histogram<u64>) -> Percentiles {
    if histogram.is_empty() {
        return Percentiles::default();
    }
    let ms = |micros: u64| micros as f64 / 1000.0;
    Percentiles {
        p50: ms(histogram.value_at_quantile(0.50)),
        p90: ms(histogram.value_at_quantile(0.90)),
        p99: ms(histogram.value_at_quantile(0.99)),
        max: ms(histogram.max()),
        mean: histogram.mean() / 1000.0,
    }
}

/// Where requests go: the server's address and the request line's path.
#[derive(Debug, Clone)]
struct Target {
    authority: Authority,
    path: PathAndQuery,
}

type Connection = (
    http1::SendRequest<Empty<Bytes>>,
    http1::Connection<TokioIo<TcpStream>, Empty<Bytes>>,
);

impl Target {
    fn parse(url: &Uri) -> Result<Self> {
        if url.scheme_str() != Some("http") {
            bail!("only http:// URLs can be loaded, not {url}");
        }
        let authority = url
            .authority()
            .cloned()
            .with_context(|| format!("{url} names no host"))?;
        let path = url
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| PathAndQuery::from_static("/"));
        Ok(Self { authority, path })
    }

    async fn connect(&self) -> Result<Connection> {
        let host = self.authority.host();
        let port = self.authority.port_u16().unwrap_or(80);
        let stream = TcpStream::connect((host, port))
            .await
            .with_context(|| format!("could not connect to {}", self.authority))?;
        stream
            .set_nodelay(true)
            .context("could not set TCP_NODELAY")?;
        http1::handshake(TokioIo::new(stream))
            .await
            .with_context(|| format!("HTTP/1.1 handshake with {} failed", self.authority))
    }

    fn request(&self) -> Request<Empty<Bytes>> {
        let mut request = Request::new(Empty::new());
        *request.uri_mut() = Uri::from(self.path.clone());
        if let Ok(host) = self.authority.as_str().parse() {
            request.headers_mut().insert(HOST, host);
        }
        request
    }
}

/// One keep-alive connection, asking again as soon as it has an answer.
struct Client {
    target: Target,
    recorder: Arc<Recorder>,
    request_timeout: Duration,
}

impl Client {
    async fn run(self, first: Connection) {
        let mut answered_once = false;
        let mut connection = Some(first);
        while !self.recorder.stopped() {
            let (sender, driver) = match connection.take() {
                Some(connection) => connection,
                None => match self.target.connect().await {
                    Ok(connection) => connection,
                    Err(_) => {
                        self.recorder.error();
                        // Do not spin on a server that refuses connections.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                },
            };
            // The connection's driver ends when the connection breaks; then reconnect.
            tokio::select! {
                _ = driver => {}
                _ = self.ask_until_stopped(sender, &mut answered_once) => {}
            }
        }
    }

    async fn ask_until_stopped(
        &self,
        mut sender: http1::SendRequest<Empty<Bytes>>,
        answered_once: &mut bool,
    ) {
        while !self.recorder.stopped() {
            let sent = Instant::now();
            let outcome = tokio::time::timeout(self.request_timeout, self.ask(&mut sender)).await;
            let latency = sent.elapsed();
            match outcome {
                Ok(Ok(())) => {
                    if !*answered_once {
                        *answered_once = true;
                        self.recorder.first_answer_of_a_client();
                    }
                    self.recorder.answer(latency);
                }
                Ok(Err(_)) | Err(_) => {
                    self.recorder.error();
                    return; // the connection may be unusable: start a new one
                }
            }
        }
    }

    async fn ask(&self, sender: &mut http1::SendRequest<Empty<Bytes>>) -> Result<()> {
        sender.ready().await.context("connection closed")?;
        let response = sender.send_request(self.target.request()).await?;
        let status = response.status();
        // Read the whole body: the answer is complete only then.
        response.into_body().collect().await?;
        if !status.is_success() {
            bail!("status {status}");
        }
        Ok(())
    }
}

/// Durations as fractional seconds in the results files.
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(value.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(deserializer)?;
        Duration::try_from_secs_f64(secs).map_err(serde::de::Error::custom)
    }
}
