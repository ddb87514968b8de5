//! `cargo xtask lab`: measure the story's proxy and the lock micro-benchmarks, write the
//! results under lab/results/ and redraw the book's charts in src/measuring/.
//!
//! lab/ is a separate cargo workspace (its Cargo.toml says why); it builds into the root's
//! target/ so the dependencies both workspaces share are compiled once.

use std::process::Command;
use std::time::Instant;

use anyhow::Result;

use crate::command::{cargo, run as run_command};

const MANIFEST: &str = "lab/Cargo.toml";
const RESULTS: &str = "lab/results";
const CHARTS: &str = "src/measuring";
/// Where criterion keeps its measurements, away from the root workspace's own.
const CRITERION_HOME: &str = "target/lab-criterion";
/// Short criterion settings: the lock costs are nanoseconds and settle in well under a
/// second; longer runs would push `cargo xtask lab` past its two minutes.
const WARM_UP_S: &str = "0.3";
const MEASUREMENT_S: &str = "0.7";
/// Read by the lab (lab/src/machine.rs) as the load average to record.
const LOAD_AVERAGE_ENV: &str = "LAB_LOAD_AVERAGE";

/// `cargo <subcommand> <args>` on the lab's workspace, built into the root's target/.
fn lab_cargo(subcommand: &str, args: &[&str]) -> Command {
    let mut command = cargo(&[subcommand]);
    command
        .args(["--manifest-path", MANIFEST, "--target-dir", "target"])
        .args(args);
    command
}

/// The lab's own command line (`lab --help`), optimised.
fn lab_binary(args: &[&str]) -> Command {
    let mut command = lab_cargo("run", &["--release", "--quiet", "--bin", "lab", "--"]);
    command.args(args);
    command
}

pub fn run(runs: usize) -> Result<()> {
    // Build first, so that the clock below counts measuring only.
    run_command(&mut lab_cargo("bench", &["--no-run", "--bench", "locks"]))?;
    run_command(&mut lab_cargo("build", &["--release", "--bin", "lab"]))?;

    let started = Instant::now();
    // Read before the first benchmark: afterwards the load average includes the lab's own
    // work. Both lab commands record this reading with their results.
    let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    if let Some(load) = load_before.split_whitespace().next() {
        eprintln!("\n1-minute load average: {load} (numbers are trustworthy below 0.5)");
    }
    let mut bench = lab_cargo("bench", &["--bench", "locks", "--"]);
    bench
        .args(["--warm-up-time", WARM_UP_S])
        .args(["--measurement-time", MEASUREMENT_S, "--noplot"])
        .env("CRITERION_HOME", crate::root().join(CRITERION_HOME));
    run_command(&mut bench)?;
    run_command(
        lab_binary(&[
            "locks",
            "--criterion",
            CRITERION_HOME,
            "--results",
            RESULTS,
            "--warm-up",
            WARM_UP_S,
            "--measurement",
            MEASUREMENT_S,
        ])
        .env(LOAD_AVERAGE_ENV, &load_before),
    )?;
    let runs = runs.to_string();
    run_command(
        lab_binary(&[
            "run",
            "--runs",
            &runs,
            "--results",
            RESULTS,
            "--charts",
            CHARTS,
        ])
        .env(LOAD_AVERAGE_ENV, &load_before),
    )?;
    eprintln!(
        "\nMeasured in {:.0} s. Results in {RESULTS}/, charts in {CHARTS}/.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The lab's share of `cargo xtask test`: formatting, clippy, and its tests, which run the
/// whole pipeline at a tiny scale.
pub fn check() -> Result<()> {
    run_command(&mut cargo(&[
        "fmt",
        "--manifest-path",
        MANIFEST,
        "--all",
        "--",
        "--check",
    ]))?;
    let warnings_fail = ["--all-targets", "--locked", "--", "-D", "warnings"];
    run_command(&mut lab_cargo("clippy", &warnings_fail))?;
    run_command(&mut lab_cargo("test", &["--locked"]))
}
