//! The theory, and how far each measurement is from it.
//!
//! With `C` clients and a downstream that takes `D`:
//! * held lock: one downstream call at a time, so at most `1/D` requests per second,
//!   whatever `C` is;
//! * scoped (any variant that does not hold a lock across the call): `C` calls overlap, so
//!   `C/D`, until the CPU cannot keep up. The CPU's ceiling is measured, not assumed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::experiment::ProxyResults;
use crate::load::LoadReport;
use crate::proxy::Variant;

/// The held lock must land within this fraction of `1/D`, either side.
pub const HELD_TOLERANCE: f64 = 0.10;
/// A scoped variant must reach at least this share of `min(C/D, CPU ceiling)`.
pub const SCOPED_SHARE: f64 = 0.85;

/// The median, smallest and largest of a few values (one per run).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// `None` for no values.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Self> {
        let mut values: Vec<f64> = values.into_iter().collect();
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let middle = values.len() / 2;
        let median = if values.len() % 2 == 1 {
            values[middle]
        } else {
            (values[middle - 1] + values[middle]) / 2.0
        };
        Some(Self {
            median,
            min: values[0],
            max: values[values.len() - 1],
        })
    }

    /// (max − min) / median: how much the runs disagreed.
    pub fn relative_width(&self) -> f64 {
        if self.median == 0.0 {
            0.0
        } else {
            (self.max - self.min) / self.median
        }
    }
}

/// Which limit the theory says applies.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Limit {
    /// `1/D`: the held lock admits one downstream call at a time.
    OneOverD,
    /// `C/D`: every client has a call in flight.
    ConcurrencyOverD,
    /// The CPU's ceiling is lower than `C/D`.
    Cpu,
}

/// One variant at one concurrency, over all runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub variant: Variant,
    pub concurrency: usize,
    pub limit: Limit,
    /// Requests per second the theory allows.
    pub bound: f64,
    pub throughput: Spread,
    /// The acceptance rule, checked against every run (not just the median).
    pub meets_theory: bool,
    pub p50_ms: Spread,
    pub p90_ms: Spread,
    pub p99_ms: Spread,
    pub errors: u64,
}

impl Row {
    /// The median throughput as a share of the bound.
    pub fn share_of_bound(&self) -> f64 {
        self.throughput.median / self.bound
    }
}

/// The whole set, reduced to what the book shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub downstream_latency_ms: f64,
    /// The downstream's latency as measured by one client talking to it directly.
    pub measured_downstream_ms: Spread,
    /// Requests per second of each variant with `D` = 0: what the CPU allows.
    pub ceilings: Vec<(Variant, Spread)>,
    pub rows: Vec<Row>,
}

impl Summary {
    pub fn of(results: &ProxyResults) -> Option<Self> {
        let d_ms = results.parameters.downstream_latency_ms as f64;
        let calibrations = results.runs.iter().map(|run| &run.calibration);
        let measured_downstream_ms = Spread::of(
            calibrations
                .clone()
                .map(|c| c.downstream_alone.latency.mean),
        )?;
        let mut ceiling_runs: BTreeMap<Variant, Vec<f64>> = BTreeMap::new();
        for point in calibrations.flat_map(|c| &c.ceilings) {
            ceiling_runs
                .entry(point.variant)
                .or_default()
                .push(point.report.throughput());
        }
        let ceilings: Vec<(Variant, Spread)> = ceiling_runs
            .into_iter()
            .filter_map(|(variant, runs)| Some((variant, Spread::of(runs)?)))
            .collect();

        let mut reports: BTreeMap<(usize, Variant), Vec<&LoadReport>> = BTreeMap::new();
        for run in &results.runs {
            for point in &run.points {
                reports
                    .entry((point.report.concurrency, point.variant))
                    .or_default()
                    .push(&point.report);
            }
        }
        let rows = reports
            .into_iter()
            .filter_map(|((concurrency, variant), reports)| {
                let ceiling = ceiling_of(&ceilings, variant).map_or(f64::INFINITY, |c| c.median);
                row(variant, concurrency, d_ms, ceiling, &reports)
            })
            .collect();
        Some(Self {
            downstream_latency_ms: d_ms,
            measured_downstream_ms,
            ceilings,
            rows,
        })
    }

    /// What the CPU allows `variant`, over the runs.
    pub fn ceiling(&self, variant: Variant) -> Option<Spread> {
        ceiling_of(&self.ceilings, variant)
    }

    pub fn row(&self, variant: Variant, concurrency: usize) -> Option<&Row> {
        self.rows
            .iter()
            .find(|row| row.variant == variant && row.concurrency == concurrency)
    }

    pub fn all_meet_theory(&self) -> bool {
        self.rows.iter().all(|row| row.meets_theory)
    }
}

fn ceiling_of(ceilings: &[(Variant, Spread)], variant: Variant) -> Option<Spread> {
    ceilings
        .iter()
        .find(|(v, _)| *v == variant)
        .map(|(_, spread)| *spread)
}

/// The theory's bound for `variant` with `concurrency` clients, in requests per second.
pub fn bound(variant: Variant, concurrency: usize, d_ms: f64, cpu_ceiling: f64) -> (Limit, f64) {
    let per_client = 1000.0 / d_ms;
    if variant.serialises_downstream_calls() {
        (Limit::OneOverD, per_client)
    } else {
        let overlapping = concurrency as f64 * per_client;
        if overlapping <= cpu_ceiling {
            (Limit::ConcurrencyOverD, overlapping)
        } else {
            (Limit::Cpu, cpu_ceiling)
        }
    }
}

/// Whether one measured throughput agrees with the theory.
pub fn meets_theory(limit: Limit, bound: f64, throughput: f64) -> bool {
    match limit {
        Limit::OneOverD => (throughput / bound - 1.0).abs() <= HELD_TOLERANCE,
        Limit::ConcurrencyOverD | Limit::Cpu => throughput >= SCOPED_SHARE * bound,
    }
}

fn row(
    variant: Variant,
    concurrency: usize,
    d_ms: f64,
    cpu_ceiling: f64,
    reports: &[&LoadReport],
) -> Option<Row> {
    let (limit, bound) = bound(variant, concurrency, d_ms, cpu_ceiling);
    let throughputs: Vec<f64> = reports.iter().map(|r| r.throughput()).collect();
    Some(Row {
        variant,
        concurrency,
        limit,
        bound,
        meets_theory: throughputs
            .iter()
            .all(|&throughput| meets_theory(limit, bound, throughput)),
        throughput: Spread::of(throughputs)?,
        p50_ms: Spread::of(reports.iter().map(|r| r.latency.p50))?,
        p90_ms: Spread::of(reports.iter().map(|r| r.latency.p90))?,
        p99_ms: Spread::of(reports.iter().map(|r| r.latency.p99))?,
        errors: reports.iter().map(|r| r.errors).sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_takes_the_middle_value() {
        let spread = Spread::of([3.0, 1.0, 2.0]).unwrap();
        assert_eq!((spread.median, spread.min, spread.max), (2.0, 1.0, 3.0));
        assert_eq!(Spread::of([1.0, 3.0]).unwrap().median, 2.0);
        assert!(Spread::of([]).is_none());
    }

    #[test]
    fn the_held_lock_is_bounded_by_one_over_d_whatever_the_concurrency() {
        for concurrency in [1, 64] {
            assert_eq!(
                bound(Variant::HeldTokio, concurrency, 20.0, 10_000.0),
                (Limit::OneOverD, 50.0)
            );
        }
    }

    #[test]
    fn scoped_variants_scale_with_concurrency_until_the_cpu_ceiling() {
        assert_eq!(
            bound(Variant::ScopedStd, 16, 20.0, 2_000.0),
            (Limit::ConcurrencyOverD, 800.0)
        );
        assert_eq!(
            bound(Variant::ArcSwap, 64, 20.0, 2_000.0),
            (Limit::Cpu, 2_000.0)
        );
    }

    #[test]
    fn acceptance_rules() {
        assert!(meets_theory(Limit::OneOverD, 50.0, 46.0));
        assert!(!meets_theory(Limit::OneOverD, 50.0, 44.0));
        assert!(!meets_theory(Limit::OneOverD, 50.0, 56.0));
        assert!(meets_theory(Limit::ConcurrencyOverD, 800.0, 700.0));
        assert!(!meets_theory(Limit::Cpu, 2_000.0, 1_600.0));
    }
}
