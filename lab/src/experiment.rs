//! The experiment: for each variant and each concurrency, start a downstream and a proxy,
//! load the proxy, stop both. Calibration points in every run tell what the theory needs:
//! how long the downstream really takes, and how many requests per second the CPU allows
//! each variant when the downstream answers at once.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::http::Uri;
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::downstream::{self, Downstream};
use crate::load::{self, LoadPlan, LoadReport, Timing};
use crate::machine::Machine;
use crate::proxy::{self, Forwarder, Variant};
use crate::server::RunningServer;

/// The service name the proxy routes to the downstream.
pub const SERVICE: &str = "api";

/// How long a server may take to finish its requests in flight when a point ends.
const GRACE: Duration = Duration::from_secs(3);

/// Everything that defines a set of measurements; saved with the results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parameters {
    /// `D`: how long the downstream takes to answer.
    pub downstream_latency_ms: u64,
    /// `C`: the numbers of clients, each on its own connection.
    pub concurrencies: Vec<usize>,
    pub variants: Vec<Variant>,
    pub timing: Timing,
    /// How many times the whole set is repeated, to show the spread.
    pub runs: usize,
    /// The number of clients used to find each variant's CPU ceiling, with a downstream
    /// that answers at once: the "extreme load" where only the CPU limits.
    pub cpu_probe_concurrency: usize,
}

impl Parameters {
    /// The set `cargo xtask lab` runs: about two minutes on two cores.
    pub fn standard() -> Self {
        Self {
            downstream_latency_ms: 20,
            concurrencies: vec![1, 4, 16, 64],
            variants: Variant::ALL.to_vec(),
            timing: Timing {
                // Long enough for connection pools to fill; the rule that every client
                // must have had an answer usually ends the warm-up later anyway.
                warm_up_min: Duration::from_millis(100),
                warm_up_max: Duration::from_secs(5),
                measure: Duration::from_secs(1),
                request_timeout: Duration::from_secs(10),
            },
            runs: 3,
            cpu_probe_concurrency: 64,
        }
    }

    /// A few milliseconds of everything, for the tests: exercises the code, measures nothing.
    pub fn tiny() -> Self {
        Self {
            downstream_latency_ms: 1,
            concurrencies: vec![2],
            variants: Variant::ALL.to_vec(),
            timing: Timing::tiny(),
            runs: 1,
            cpu_probe_concurrency: 2,
        }
    }

    pub fn downstream_latency(&self) -> Duration {
        Duration::from_millis(self.downstream_latency_ms)
    }

    /// How many load runs the whole set makes, for a progress bar.
    pub fn point_count(&self) -> usize {
        self.runs * (1 + self.variants.len() * (self.concurrencies.len() + 1))
    }
}

/// Everything one `lab run` measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProxyResults {
    pub machine: Machine,
    pub parameters: Parameters,
    pub runs: Vec<Run>,
    /// False if the set was interrupted (Ctrl-C): the runs hold what was measured.
    pub complete: bool,
}

/// One pass over the whole set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    pub calibration: Calibration,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Calibration {
    /// One client straight to the downstream: its latency is the real `D`.
    pub downstream_alone: LoadReport,
    /// Every variant with a downstream that answers at once: what the CPU allows.
    pub ceilings: Vec<Point>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Point {
    pub variant: Variant,
    pub report: LoadReport,
}

/// Runs the whole set `parameters.runs` times. Stops early, keeping what it has, if
/// `cancel` fires.
pub async fn run_all(
    parameters: &Parameters,
    progress: &ProgressBar,
    cancel: &CancellationToken,
) -> Result<ProxyResults> {
    let machine = Machine::here();
    let mut runs = Vec::new();
    for index in 0..parameters.runs {
        let run = run_once(parameters, index, progress, cancel).await?;
        runs.push(run);
        if cancel.is_cancelled() {
            break;
        }
    }
    Ok(ProxyResults {
        machine,
        parameters: parameters.clone(),
        complete: !cancel.is_cancelled(),
        runs,
    })
}

async fn run_once(
    parameters: &Parameters,
    index: usize,
    progress: &ProgressBar,
    cancel: &CancellationToken,
) -> Result<Run> {
    let of = format!("run {}/{}", index + 1, parameters.runs);
    let latency = parameters.downstream_latency();
    let timing = parameters.timing;

    progress.set_prefix(format!("{of} downstream alone"));
    let downstream_alone = measure_downstream(latency, timing, progress, cancel).await?;
    progress.inc(1);

    let mut ceilings = Vec::new();
    for &variant in &parameters.variants {
        if cancel.is_cancelled() {
            break;
        }
        progress.set_prefix(format!("{of} {variant}, D = 0"));
        let setup = Setup {
            variant,
            concurrency: parameters.cpu_probe_concurrency,
            latency: Duration::ZERO,
            timing,
        };
        let report = setup.measure(progress, cancel).await?;
        ceilings.push(Point { variant, report });
        progress.inc(1);
    }

    let mut points = Vec::new();
    for &concurrency in &parameters.concurrencies {
        for &variant in &parameters.variants {
            if cancel.is_cancelled() {
                break;
            }
            progress.set_prefix(format!("{of} {variant}"));
            let setup = Setup {
                variant,
                concurrency,
                latency,
                timing,
            };
            let report = setup.measure(progress, cancel).await?;
            points.push(Point { variant, report });
            progress.inc(1);
        }
    }
    Ok(Run {
        calibration: Calibration {
            downstream_alone,
            ceilings,
        },
        points,
    })
}

/// One point of the experiment.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    pub variant: Variant,
    pub concurrency: usize,
    pub latency: Duration,
    pub timing: Timing,
}

impl Setup {
    /// Starts a downstream and a proxy, checks that the proxy answers correctly, loads it,
    /// and stops both servers again.
    pub async fn measure(
        &self,
        progress: &ProgressBar,
        cancel: &CancellationToken,
    ) -> Result<LoadReport> {
        let system = ProxySystem::start(self.variant, Downstream::with_latency(self.latency))
            .await
            .with_context(|| format!("could not start the {} proxy", self.variant))?;
        let plan = LoadPlan {
            url: system.proxy_url()?,
            concurrency: self.concurrency,
            timing: self.timing,
        };
        let outcome = async {
            expect_downstream_answer(&plan.url).await?;
            load::run(&plan, progress, cancel).await
        }
        .await;
        system.stop().await;
        outcome.with_context(|| format!("{} with {} clients", self.variant, self.concurrency))
    }
}

/// A downstream and a proxy in front of it, both on loopback.
pub struct ProxySystem {
    pub downstream: RunningServer,
    pub proxy: RunningServer,
}

impl ProxySystem {
    pub async fn start(variant: Variant, downstream: Downstream) -> Result<Self> {
        let downstream = RunningServer::start(downstream.router()).await?;
        let target: Uri = downstream
            .url(downstream::PATH)
            .parse()
            .context("the downstream's URL does not parse")?;
        let routes = HashMap::from([(SERVICE.to_owned(), target)]);
        let proxy =
            RunningServer::start(proxy::router(variant, routes, Forwarder::default())).await?;
        Ok(Self { downstream, proxy })
    }

    /// Where clients send their requests.
    pub fn proxy_url(&self) -> Result<Uri> {
        let url = self.proxy.url(&format!("/{SERVICE}"));
        url.parse()
            .with_context(|| format!("the proxy's URL does not parse: {url}"))
    }

    /// Stops the proxy first, so that no request is left without its downstream.
    pub async fn stop(self) {
        self.proxy.stop(GRACE).await;
        self.downstream.stop(GRACE).await;
    }
}

async fn measure_downstream(
    latency: Duration,
    timing: Timing,
    progress: &ProgressBar,
    cancel: &CancellationToken,
) -> Result<LoadReport> {
    let server = RunningServer::start(Downstream::with_latency(latency).router()).await?;
    let plan = LoadPlan {
        url: server
            .url(downstream::PATH)
            .parse()
            .context("the downstream's URL does not parse")?,
        concurrency: 1,
        timing,
    };
    let report = load::run(&plan, progress, cancel).await;
    server.stop(GRACE).await;
    report.context("measuring the downstream alone")
}

/// Fails unless `url` answers 200 with the downstream's body: a load run against a broken
/// proxy would measure how fast it fails.
pub async fn expect_downstream_answer(url: &Uri) -> Result<()> {
    let (status, body) = load::fetch_once(url).await?;
    if !status.is_success() || body != downstream::BODY {
        bail!("GET {url} answered {status} {body:?}, not the downstream's answer");
    }
    Ok(())
}
