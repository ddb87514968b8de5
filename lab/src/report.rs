//! The results files: JSON (everything, to redraw charts from), CSV (one line per load run,
//! for a spreadsheet) and markdown tables the book includes, so that every number on its
//! pages comes from the committed results.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::analysis::{HELD_TOLERANCE, Limit, SCOPED_SHARE, Spread, Summary};
use crate::experiment::ProxyResults;
use crate::locks::{CONTENDED, LOCKS, LockResults, UNCONTENDED, label};
use crate::machine::{IDLE_LOAD, Machine};
use crate::proxy::Variant;

pub const PROXY_JSON: &str = "proxy.json";
pub const PROXY_CSV: &str = "proxy.csv";
pub const LOCKS_JSON: &str = "locks.json";
pub const TABLES_MD: &str = "tables.md";

pub fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).context("results do not serialise")?;
    write(path, &(text + "\n"))
}

pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text =
        fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} does not parse", path.display()))
}

pub fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)
            .with_context(|| format!("could not create {}", folder.display()))?;
    }
    fs::write(path, text).with_context(|| format!("could not write {}", path.display()))
}

/// One line per load run, calibration runs included.
pub fn proxy_csv(results: &ProxyResults) -> String {
    let mut csv = String::from(
        "run,kind,variant,concurrency,downstream_ms,answers,errors,window_s,requests_per_s,\
         p50_ms,p90_ms,p99_ms,max_ms,mean_ms\n",
    );
    let d = results.parameters.downstream_latency_ms;
    for (index, run) in results.runs.iter().enumerate() {
        let calibration = &run.calibration;
        let lines = [("downstream-alone", "-", d, &calibration.downstream_alone)]
            .into_iter()
            .chain(
                calibration
                    .ceilings
                    .iter()
                    .map(|p| ("cpu-ceiling", p.variant.name(), 0, &p.report)),
            )
            .chain(
                run.points
                    .iter()
                    .map(|p| ("proxy", p.variant.name(), d, &p.report)),
            );
        for (kind, variant, downstream_ms, r) in lines {
            let l = &r.latency;
            let _ = writeln!(
                csv,
                "{},{kind},{variant},{},{downstream_ms},{},{},{:.3},{:.1},{:.3},{:.3},{:.3},{:.3},{:.3}",
                index + 1,
                r.concurrency,
                r.answers,
                r.errors,
                r.window.as_secs_f64(),
                r.throughput(),
                l.p50,
                l.p90,
                l.p99,
                l.max,
                l.mean
            );
        }
    }
    csv
}

/// The markdown tables the book includes, each between `ANCHOR` comments.
pub fn tables(summary: &Summary, proxy: &ProxyResults, locks: Option<&LockResults>) -> String {
    let mut md = String::from(
        "<!-- Written by `cargo xtask lab` from proxy.json and locks.json: do not edit. -->\n\
         <!-- The book includes each part by its anchor. -->\n",
    );
    section(&mut md, "machine", &machine_table(proxy, locks));
    section(&mut md, "calibration", &calibration_table(summary, proxy));
    section(&mut md, "ceilings", &ceilings_table(summary, proxy));
    section(&mut md, "throughput", &throughput_table(summary, proxy));
    section(&mut md, "latency", &latency_table(summary, proxy));
    section(&mut md, "reduction", &reduction_table(summary, proxy));
    if let Some(locks) = locks {
        section(&mut md, "locks", &locks_table(locks));
    }
    md
}

fn section(md: &mut String, anchor: &str, body: &str) {
    let _ = write!(
        md,
        "\n<!-- ANCHOR: {anchor} -->\n{body}<!-- ANCHOR_END: {anchor} -->\n"
    );
}

fn machine_table(proxy: &ProxyResults, locks: Option<&LockResults>) -> String {
    let m = &proxy.machine;
    let mut md = String::from("| | |\n|---|---|\n");
    let _ = writeln!(md, "| CPU | {} ({} cores) |", m.cpu_model, m.cores);
    let _ = writeln!(md, "| memory | {} GiB |", m.memory_gib);
    let _ = writeln!(md, "| system | {} |", m.os);
    let _ = writeln!(md, "| compiler | {} |", m.rustc);
    let _ = writeln!(
        md,
        "| proxy runs | {}, {}{}; {} |",
        m.date,
        runs(proxy.runs.len()),
        if proxy.complete { "" } else { " (interrupted)" },
        load_note(m)
    );
    if let Some(locks) = locks {
        let _ = writeln!(
            md,
            "| lock benchmarks | {}; {} |",
            locks.machine.date,
            load_note(&locks.machine)
        );
    }
    md
}

fn runs(count: usize) -> String {
    if count == 1 {
        "1 run".to_owned()
    } else {
        format!("{count} runs")
    }
}

fn load_note(machine: &Machine) -> String {
    let load = machine.load_average[0];
    if machine.was_idle() {
        format!("1-minute load average {load:.2} at the start")
    } else {
        format!(
            "**1-minute load average {load:.2} at the start: the machine was not idle \
             (below {IDLE_LOAD}), so these numbers are less trustworthy**"
        )
    }
}

fn calibration_table(summary: &Summary, proxy: &ProxyResults) -> String {
    let mut md = String::from("| | set to | measured (median, min–max) |\n|---|---|---|\n");
    let _ = writeln!(
        md,
        "| downstream latency `D` | {} ms | {} ms |",
        summary.downstream_latency_ms,
        spread(&summary.measured_downstream_ms, 2)
    );
    let _ = writeln!(
        md,
        "\n*{}; the ranges are the smallest and largest run.*",
        runs(proxy.runs.len())
    );
    md
}

/// Every variant with a downstream that answers at once: only the CPU limits them.
fn ceilings_table(summary: &Summary, proxy: &ProxyResults) -> String {
    let reference = summary.ceiling(Variant::ScopedStd);
    let mut md = format!(
        "| variant (`D` = 0, {} clients) | requests/s (median, min–max) | against scoped-std |\n\
         |---|---:|---:|\n",
        proxy.parameters.cpu_probe_concurrency
    );
    for (variant, ceiling) in &summary.ceilings {
        let against = match reference {
            Some(_) if *variant == Variant::ScopedStd => "(reference)".to_owned(),
            Some(r) => format!("{:+.0}%", (ceiling.median / r.median - 1.0) * 100.0),
            None => "—".to_owned(),
        };
        let _ = writeln!(md, "| {variant} | {} | {against} |", spread(ceiling, 0));
    }
    md
}

/// One row per variant, one column per concurrency: the bounds first, then each variant's
/// median (smallest–largest run) and the median's share of its bound.
fn throughput_table(summary: &Summary, proxy: &ProxyResults) -> String {
    let params = &proxy.parameters;
    let d = params.downstream_latency_ms;
    let mut md = String::from("| requests per second |");
    for &concurrency in &params.concurrencies {
        let _ = write!(md, " C = {concurrency} |");
    }
    md.push_str("\n|---|");
    md.push_str(&"---:|".repeat(params.concurrencies.len()));
    md.push('\n');

    let bound_row = |md: &mut String, title: &str, variant: Variant| {
        let _ = write!(md, "| *{title}* |");
        for &concurrency in &params.concurrencies {
            let cell = summary
                .row(variant, concurrency)
                .map_or("—".to_owned(), |row| {
                    let cpu = if row.limit == Limit::Cpu {
                        " (CPU)"
                    } else {
                        ""
                    };
                    format!("*{}{cpu}*", thousands(row.bound))
                });
            let _ = write!(md, " {cell} |");
        }
        md.push('\n');
    };
    bound_row(
        &mut md,
        &format!("bound, held lock: 1/D, D = {d} ms"),
        Variant::HeldTokio,
    );
    bound_row(
        &mut md,
        "bound, all others: min(C/D, CPU ceiling)",
        Variant::ScopedStd,
    );

    let mut outside = Vec::new();
    for &variant in &params.variants {
        let _ = write!(md, "| {variant} |");
        for &concurrency in &params.concurrencies {
            let cell = summary
                .row(variant, concurrency)
                .map_or("—".to_owned(), |row| {
                    if !row.meets_theory {
                        outside.push(format!("{variant} with C = {concurrency}"));
                    }
                    format!(
                        "{} · {:.0}%",
                        spread(&row.throughput, 0),
                        row.share_of_bound() * 100.0
                    )
                });
            let _ = write!(md, " {cell} |");
        }
        md.push('\n');
    }
    let verdict = if outside.is_empty() {
        "every point meets it.".to_owned()
    } else {
        format!("**outside it: {}.**", outside.join(", "))
    };
    let _ = writeln!(
        md,
        "\n*Median (smallest–largest run) · median as a share of the bound. The rule, checked \
         against every run: the held lock within {:.0}% of 1/D, every other variant at least \
         {:.0}% of its bound; {verdict}*",
        HELD_TOLERANCE * 100.0,
        SCOPED_SHARE * 100.0
    );
    md
}

fn latency_table(summary: &Summary, proxy: &ProxyResults) -> String {
    let Some(&concurrency) = proxy.parameters.concurrencies.iter().max() else {
        return String::new();
    };
    let mut md = format!(
        "| variant ({concurrency} clients) | p50 (ms) | p90 (ms) | p99 (ms) |\n|---|---:|---:|---:|\n"
    );
    for &variant in &proxy.parameters.variants {
        if let Some(row) = summary.row(variant, concurrency) {
            let _ = writeln!(
                md,
                "| {variant} | {} | {} | {} |",
                spread(&row.p50_ms, 1),
                spread(&row.p90_ms, 1),
                spread(&row.p99_ms, 1)
            );
        }
    }
    let _ = writeln!(
        md,
        "\n*Medians of the runs, with the smallest and largest.*"
    );
    md
}

/// Held lock against scoped std mutex, median latency at each concurrency: how much lower
/// the scoped one is, next to what a closed loop predicts (1 − 1/C).
fn reduction_table(summary: &Summary, proxy: &ProxyResults) -> String {
    let mut md = String::from(
        "| clients `C` | held-tokio p50 (ms) | scoped-std p50 (ms) | latency reduction | \
         theory: 1 − 1/C |\n|---:|---:|---:|---:|---:|\n",
    );
    for &concurrency in &proxy.parameters.concurrencies {
        let (Some(held), Some(scoped)) = (
            summary.row(Variant::HeldTokio, concurrency),
            summary.row(Variant::ScopedStd, concurrency),
        ) else {
            continue;
        };
        let reduction = 1.0 - scoped.p50_ms.median / held.p50_ms.median;
        // Equal latencies can come out a hair below zero: that is no reduction, not "-0%".
        let reduction = if reduction.abs() < 0.005 {
            0.0
        } else {
            reduction
        };
        let theory = 1.0 - 1.0 / concurrency as f64;
        let _ = writeln!(
            md,
            "| {concurrency} | {:.1} | {:.1} | {:.0}% | {:.0}% |",
            held.p50_ms.median,
            scoped.p50_ms.median,
            reduction * 100.0,
            theory * 100.0
        );
    }
    md
}

fn locks_table(locks: &LockResults) -> String {
    let mut md = String::from("| lock | alone | with a second thread on it |\n|---|---:|---:|\n");
    for (id, _) in LOCKS {
        let ns = |group| {
            locks
                .get(group, id)
                .map_or("—".to_owned(), |b| nanoseconds(b.mean_ns))
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {} |",
            label(id),
            ns(UNCONTENDED),
            ns(CONTENDED)
        );
    }
    let _ = writeln!(
        md,
        "\n*criterion's mean time per lock-and-unlock; warm-up {} s, measurement {} s per lock.*",
        locks.settings.warm_up_s, locks.settings.measurement_s
    );
    md
}

/// A duration in nanoseconds, switching to microseconds past 1,000.
pub fn nanoseconds(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.1} µs", ns / 1000.0)
    } else {
        format!("{ns:.1} ns")
    }
}

fn spread(s: &Spread, decimals: usize) -> String {
    let f = |v: f64| {
        if decimals == 0 && v < 100.0 {
            // Small rates: 47.0 and 47.9 are worth telling apart.
            format!("{v:.1}")
        } else if decimals == 0 {
            thousands(v)
        } else {
            format!("{v:.decimals$}")
        }
    };
    format!("{} ({}–{})", f(s.median), f(s.min), f(s.max))
}

/// `12345.6` as `12,346`: easier to read in a table.
pub fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0.4), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(3199.6), "3,200");
        assert_eq!(thousands(1234567.0), "1,234,567");
    }
}
