//! `lab`: run the story's proxy, load it, and record what it does.
//!
//! `cargo xtask lab` (at the repository's root) runs the standard set and regenerates the
//! book's charts; the subcommands here are for exploring by hand.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::http::Uri;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use tokio_util::sync::CancellationToken;

use lab::analysis::Summary;
use lab::downstream::Downstream;
use lab::experiment::{self, Parameters, ProxyResults, ProxySystem};
use lab::load::{self, LoadPlan, Timing};
use lab::locks::{self, BenchSettings, LockResults};
use lab::machine::Machine;
use lab::proxy::Variant;
use lab::{charts, report};

#[derive(Parser)]
#[command(about = "The story's proxy under load: run it, load it, measure it", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a downstream and a proxy on loopback and keep them running until Ctrl-C.
    /// Point any HTTP load tool at the proxy URL it prints (e.g. `oha`).
    Serve {
        #[arg(long, value_enum, default_value_t = Variant::ScopedStd)]
        variant: Variant,
        /// How long the downstream takes to answer.
        #[arg(long, default_value_t = 20)]
        latency_ms: u64,
    },
    /// Load a URL with keep-alive clients for a while, and report throughput and latency.
    Load {
        url: Uri,
        #[arg(long, short, default_value_t = 16)]
        concurrency: usize,
        /// How long to measure, after a warm-up (at most 5 s) in which every client gets
        /// its first answer.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// Run the standard set of measurements, write the results and draw the charts.
    Run {
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Where proxy.json, proxy.csv and tables.md go.
        #[arg(long, default_value = "lab/results")]
        results: PathBuf,
        /// Where the SVG charts go.
        #[arg(long, default_value = "src/measuring")]
        charts: PathBuf,
    },
    /// Copy criterion's estimates for `benches/locks.rs` into the results.
    Locks {
        /// criterion's output folder (CRITERION_HOME when the benchmarks ran).
        #[arg(long)]
        criterion: PathBuf,
        #[arg(long, default_value = "lab/results")]
        results: PathBuf,
        /// The settings the benchmarks ran with, recorded beside them.
        #[arg(long)]
        warm_up: f64,
        #[arg(long)]
        measurement: f64,
    },
    /// Redraw the charts and tables from the results files, without measuring.
    Draw {
        #[arg(long, default_value = "lab/results")]
        results: PathBuf,
        #[arg(long, default_value = "src/measuring")]
        charts: PathBuf,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nCtrl-C: stopping");
            on_ctrl_c.cancel();
        }
    });
    let result = match cli.command {
        Command::Serve {
            variant,
            latency_ms,
        } => serve(variant, Duration::from_millis(latency_ms), &cancel).await,
        Command::Load {
            url,
            concurrency,
            seconds,
        } => load(url, concurrency, seconds, &cancel).await,
        Command::Run {
            runs,
            results,
            charts,
        } => run(runs, &results, &charts, &cancel).await,
        Command::Locks {
            criterion,
            results,
            warm_up,
            measurement,
        } => record_locks(&criterion, &results, warm_up, measurement),
        Command::Draw { results, charts } => draw(&results, &charts),
    };
    match result {
        Ok(()) if cancel.is_cancelled() => ExitCode::from(130),
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("lab: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(variant: Variant, latency: Duration, cancel: &CancellationToken) -> Result<()> {
    let system = ProxySystem::start(variant, Downstream::with_latency(latency)).await?;
    let url = system.proxy_url()?;
    experiment::expect_downstream_answer(&url).await?;
    println!(
        "downstream: {} ({} ms)",
        system.downstream.addr(),
        latency.as_millis()
    );
    println!("proxy ({variant}): {url}");
    println!("for example: oha -z 10s -c 64 {url}");
    println!("Ctrl-C stops both.");
    cancel.cancelled().await;
    system.stop().await;
    Ok(())
}

async fn load(
    url: Uri,
    concurrency: usize,
    seconds: f64,
    cancel: &CancellationToken,
) -> Result<()> {
    let measure = Duration::try_from_secs_f64(seconds).context("--seconds must be positive")?;
    let plan = LoadPlan {
        url,
        concurrency,
        timing: Timing {
            warm_up_min: Duration::from_millis(200),
            warm_up_max: Duration::from_secs(5),
            measure,
            request_timeout: Duration::from_secs(10),
        },
    };
    let progress = spinner();
    let report = load::run(&plan, &progress, cancel).await?;
    progress.finish_and_clear();
    let l = &report.latency;
    println!(
        "{} clients, {:.2} s: {} answers, {} errors, {:.1} requests/s",
        report.concurrency,
        report.window.as_secs_f64(),
        report.answers,
        report.errors,
        report.throughput()
    );
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        l.p50, l.p90, l.p99, l.max
    );
    Ok(())
}

async fn run(runs: usize, results: &Path, charts: &Path, cancel: &CancellationToken) -> Result<()> {
    let parameters = Parameters {
        runs,
        ..Parameters::standard()
    };
    let machine = Machine::here();
    if !machine.was_idle() {
        eprintln!(
            "warning: the 1-minute load average is {:.2}: other work on this machine will \
             distort the numbers (the results will say so)",
            machine.load_average[0]
        );
    }
    let progress = ProgressBar::new(parameters.point_count() as u64).with_style(
        ProgressStyle::with_template("{elapsed:>4} [{bar:24}] {pos}/{len} {prefix} {msg}")
            .context("progress bar template")?
            .progress_chars("=> "),
    );
    let proxy = experiment::run_all(&parameters, &progress, cancel).await?;
    progress.finish_and_clear();
    if !proxy.complete {
        eprintln!("interrupted: the results were not written");
        return Ok(());
    }
    report::write_json(&results.join(report::PROXY_JSON), &proxy)?;
    report::write(&results.join(report::PROXY_CSV), &report::proxy_csv(&proxy))?;
    draw(results, charts)
}

fn record_locks(criterion: &Path, results: &Path, warm_up: f64, measurement: f64) -> Result<()> {
    let locks = LockResults {
        machine: Machine::here(),
        settings: BenchSettings {
            warm_up_s: warm_up,
            measurement_s: measurement,
        },
        benches: locks::collect(criterion)?,
    };
    report::write_json(&results.join(report::LOCKS_JSON), &locks)
}

/// Tables and charts from whatever results exist; the lock benchmarks are optional.
fn draw(results: &Path, charts_dir: &Path) -> Result<()> {
    let proxy: ProxyResults = report::read_json(&results.join(report::PROXY_JSON))?;
    let locks_file = results.join(report::LOCKS_JSON);
    let locks: Option<LockResults> = if locks_file.exists() {
        Some(report::read_json(&locks_file)?)
    } else {
        None
    };
    let summary = Summary::of(&proxy).context("the proxy results hold no runs")?;
    report::write(
        &results.join(report::TABLES_MD),
        &report::tables(&summary, &proxy, locks.as_ref()),
    )?;
    charts::throughput(&summary, &proxy, &charts_dir.join(charts::THROUGHPUT_SVG))?;
    charts::latency(&summary, &proxy, &charts_dir.join(charts::LATENCY_SVG))?;
    if let Some(locks) = &locks {
        charts::lock_costs(locks, &charts_dir.join(charts::LOCKS_SVG))?;
    }
    print_verdict(&summary);
    Ok(())
}

fn print_verdict(summary: &Summary) {
    println!(
        "downstream {:.2} ms (set to {} ms)",
        summary.measured_downstream_ms.median, summary.downstream_latency_ms,
    );
    for (variant, ceiling) in &summary.ceilings {
        println!(
            "{:<14} D=0  {:>8.0} req/s (runs {:.0}–{:.0}): the CPU ceiling",
            variant.name(),
            ceiling.median,
            ceiling.min,
            ceiling.max
        );
    }
    for row in &summary.rows {
        println!(
            "{:<14} C={:<3} {:>8.1} req/s (runs {:.1}–{:.1}), bound {:>7.1}: {:>4.0}% {}",
            row.variant.name(),
            row.concurrency,
            row.throughput.median,
            row.throughput.min,
            row.throughput.max,
            row.bound,
            row.share_of_bound() * 100.0,
            if row.meets_theory {
                "ok"
            } else {
                "OUTSIDE THE RULE"
            }
        );
    }
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
