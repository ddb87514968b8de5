//! The book's charts, drawn as SVG from the results with the theory's bounds drawn in.

use std::path::Path;

use anyhow::{Context, Result};
use plotters::coord::CoordTranslate;
use plotters::coord::combinators::{BindKeyPoints, LogCoord, WithKeyPoints};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::analysis::Summary;
use crate::experiment::ProxyResults;
use crate::locks::{CONTENDED, LOCKS, LockResults, UNCONTENDED, label};
use crate::proxy::Variant;
use crate::report::{nanoseconds, thousands};

pub const THROUGHPUT_SVG: &str = "throughput.svg";
pub const LATENCY_SVG: &str = "latency.svg";
pub const LOCKS_SVG: &str = "lock-costs.svg";

const FONT: &str = "sans-serif";
const THEORY: RGBColor = RGBColor(90, 90, 90);

/// A theory's bound: a dashed grey line from one point to another, with its legend entry.
/// `dash` is (dash length, gap) in pixels, so two bounds on one chart can look different.
fn draw_bound<CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'_, SVGBackend<'_>, CT>,
    line: [(f64, f64); 2],
    (length, gap): (u32, u32),
    label: &str,
) -> Result<()> {
    let dashed = THEORY.stroke_width(2);
    chart
        .draw_series(DashedLineSeries::new(line, length, gap, dashed))?
        .label(label)
        .legend(move |(x, y)| DashedPathElement::new([(x, y), (x + 24, y)], length, gap, dashed));
    Ok(())
}

fn colour(variant: Variant) -> RGBColor {
    match variant {
        Variant::HeldTokio => RGBColor(200, 40, 40),
        Variant::ScopedStd => RGBColor(30, 100, 200),
        Variant::ScopedTokio => RGBColor(0, 150, 150),
        Variant::ScopedRwlock => RGBColor(120, 80, 190),
        Variant::ArcSwap => RGBColor(40, 150, 60),
        Variant::Actor => RGBColor(220, 130, 0),
    }
}

/// The concurrency axis: logarithmic, labelled at the concurrencies that were measured.
fn concurrency_axis(concurrencies: &[usize]) -> WithKeyPoints<LogCoord<f64>> {
    let most = concurrencies.iter().copied().max().unwrap_or(1) as f64;
    let least = concurrencies.iter().copied().min().unwrap_or(1) as f64;
    (least / 1.4..most * 1.4)
        .log_scale()
        .with_key_points(concurrencies.iter().map(|&c| c as f64).collect())
}

/// Requests per second against clients, per variant (median of the runs, with a bar from
/// the slowest to the fastest run), and the bounds: 1/D, C/D and the CPU's ceiling.
pub fn throughput(summary: &Summary, results: &ProxyResults, path: &Path) -> Result<()> {
    let params = &results.parameters;
    let d_ms = summary.downstream_latency_ms;
    let per_client = 1000.0 / d_ms;
    let most = params.concurrencies.iter().copied().max().unwrap_or(1) as f64;
    // The chart shows the range the theory covers; a CPU ceiling far above it is named in
    // the caption rather than squeezing the interesting part into a corner.
    let top = most * 1.4 * per_client * 4.0;
    // The lowest ceiling among the variants that overlap their calls (the held lock's
    // ceiling is its own 1/D-like limit, drawn separately in the theory).
    let ceiling = summary
        .ceilings
        .iter()
        .filter(|(variant, _)| !variant.serialises_downstream_calls())
        .map(|(_, spread)| spread.median)
        .fold(f64::INFINITY, f64::min);
    let ceiling_on_chart = ceiling < top;
    let caption = if ceiling_on_chart || !ceiling.is_finite() {
        format!("Proxy throughput, downstream latency D = {d_ms} ms")
    } else {
        format!(
            "Proxy throughput, D = {d_ms} ms (CPU ceilings from {} req/s: above the chart)",
            thousands(ceiling)
        )
    };

    let root = SVGBackend::new(path, (860, 540)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, (FONT, 20))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(
            concurrency_axis(&params.concurrencies),
            (per_client / 3.0..top).log_scale(),
        )?;
    chart
        .configure_mesh()
        .x_desc("clients C (each on its own keep-alive connection)")
        .y_desc("requests per second")
        .x_label_formatter(&|c| format!("{c:.0}"))
        .y_label_formatter(&|r| format!("{r:.0}"))
        .label_style((FONT, 14))
        .draw()?;

    let (left, right) = params_range(&params.concurrencies);
    draw_bound(
        &mut chart,
        [(left, left * per_client), (right, right * per_client)],
        (8, 5),
        "C/D: every client has a call in flight",
    )?;
    draw_bound(
        &mut chart,
        [(left, per_client), (right, per_client)],
        (3, 4),
        "1/D: one call at a time (held lock)",
    )?;
    if ceiling_on_chart {
        let ceiling_style = RGBColor(150, 150, 150).stroke_width(6);
        chart
            .draw_series(LineSeries::new(
                [(left, ceiling), (right, ceiling)],
                ceiling_style,
            ))?
            .label("lowest CPU ceiling (measured with D = 0)")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], ceiling_style));
    }

    for &variant in &params.variants {
        let colour = colour(variant);
        let rows: Vec<_> = params
            .concurrencies
            .iter()
            .filter_map(|&c| summary.row(variant, c))
            .collect();
        chart
            .draw_series(LineSeries::new(
                rows.iter()
                    .map(|r| (r.concurrency as f64, r.throughput.median)),
                colour.stroke_width(2),
            ))?
            .label(variant.name())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], colour.stroke_width(2)));
        chart.draw_series(rows.iter().map(|r| {
            ErrorBar::new_vertical(
                r.concurrency as f64,
                r.throughput.min,
                r.throughput.median,
                r.throughput.max,
                colour.filled(),
                8,
            )
        }))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, 14))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .draw()?;
    root.present()
        .with_context(|| format!("could not write {}", path.display()))
}

fn params_range(concurrencies: &[usize]) -> (f64, f64) {
    let least = concurrencies.iter().copied().min().unwrap_or(1) as f64;
    let most = concurrencies.iter().copied().max().unwrap_or(1) as f64;
    (least / 1.4, most * 1.4)
}

/// Left: median latency against clients, with the theory's D and C·D. Right: p50, p90 and
/// p99 of every variant at the highest concurrency.
pub fn latency(summary: &Summary, results: &ProxyResults, path: &Path) -> Result<()> {
    let params = &results.parameters;
    let d_ms = summary.downstream_latency_ms;
    let (left, right) = params_range(&params.concurrencies);
    let worst = summary
        .rows
        .iter()
        .map(|r| r.p99_ms.max)
        .fold(right * d_ms, f64::max);
    // Headroom above the slowest answer keeps the legend clear of the lines.
    let y_range = (d_ms / 2.0..worst * 8.0).log_scale();

    let root = SVGBackend::new(path, (1080, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        &format!("Latency seen by the clients, downstream latency D = {d_ms} ms"),
        (FONT, 22),
    )?;
    let (by_clients, percentiles) = root.split_horizontally(520);

    let mut chart = ChartBuilder::on(&by_clients)
        .caption("median (p50) against clients", (FONT, 16))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(concurrency_axis(&params.concurrencies), y_range.clone())?;
    chart
        .configure_mesh()
        .x_desc("clients C")
        .y_desc("milliseconds")
        .x_label_formatter(&|c| format!("{c:.0}"))
        .y_label_formatter(&|ms| format!("{ms:.0}"))
        .label_style((FONT, 14))
        .draw()?;
    draw_bound(
        &mut chart,
        [(left, left * d_ms), (right, right * d_ms)],
        (8, 5),
        "C·D: wait for everyone ahead (held lock)",
    )?;
    draw_bound(
        &mut chart,
        [(left, d_ms), (right, d_ms)],
        (3, 4),
        "D: the downstream call alone",
    )?;
    for &variant in &params.variants {
        let colour = colour(variant);
        let points: Vec<(f64, f64)> = params
            .concurrencies
            .iter()
            .filter_map(|&c| summary.row(variant, c))
            .map(|r| (r.concurrency as f64, r.p50_ms.median))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?
            .label(variant.name())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], colour.stroke_width(2)));
        chart.draw_series(
            points
                .iter()
                .map(|&point| Circle::new(point, 3, colour.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .draw()?;

    let top_concurrency = params.concurrencies.iter().copied().max().unwrap_or(1);
    let variants = params.variants.clone();
    let slots = variants.len() as f64;
    let mut chart = ChartBuilder::on(&percentiles)
        .caption(
            format!("p50 ● p90 ▲ p99 ✕ with {top_concurrency} clients"),
            (FONT, 16),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5..slots - 0.5, y_range)?;
    chart
        .configure_mesh()
        .y_desc("milliseconds")
        // One label per variant, at the whole numbers where the variants sit.
        .x_labels(variants.len())
        .x_label_formatter(&|x| {
            category(&variants, *x).map_or(String::new(), |v| v.name().to_owned())
        })
        .disable_x_mesh()
        .y_label_formatter(&|ms| format!("{ms:.0}"))
        .label_style((FONT, 12))
        .draw()?;
    for (slot, &variant) in params.variants.iter().enumerate() {
        let Some(row) = summary.row(variant, top_concurrency) else {
            continue;
        };
        let x = slot as f64;
        let colour = colour(variant);
        chart.draw_series(LineSeries::new(
            [(x, row.p50_ms.median), (x, row.p99_ms.median)],
            colour.stroke_width(2),
        ))?;
        chart.draw_series([Circle::new((x, row.p50_ms.median), 5, colour.filled())])?;
        chart.draw_series([TriangleMarker::new(
            (x, row.p90_ms.median),
            6,
            colour.filled(),
        )])?;
        chart.draw_series([Cross::new(
            (x, row.p99_ms.median),
            6,
            colour.stroke_width(2),
        )])?;
    }
    root.present()
        .with_context(|| format!("could not write {}", path.display()))
}

/// Nanoseconds per lock-and-unlock, alone and with a second thread on the same lock.
pub fn lock_costs(locks: &LockResults, path: &Path) -> Result<()> {
    let most = locks.benches.iter().map(|b| b.mean_ns).fold(1.0, f64::max);
    let rows = LOCKS.len() as f64;

    let root = SVGBackend::new(path, (860, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("What one lock-and-unlock costs", (FONT, 22))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(250)
        .build_cartesian_2d((1.0..most * 6.0).log_scale(), -0.5..rows - 0.5)?;
    chart
        .configure_mesh()
        .x_desc("nanoseconds (logarithmic)")
        .y_labels(LOCKS.len())
        // Row 0 is at the bottom: the first lock of LOCKS goes on top.
        .y_label_formatter(&|y| {
            let rows: Vec<&str> = LOCKS.iter().rev().map(|(id, _)| label(id)).collect();
            category(&rows, *y).map_or(String::new(), |name| (*name).to_owned())
        })
        .x_label_formatter(&|ns| format!("{ns:.0}"))
        .label_style((FONT, 14))
        .disable_y_mesh()
        .draw()?;

    let groups = [
        (UNCONTENDED, "alone", RGBColor(30, 100, 200), 0.02),
        (
            CONTENDED,
            "with a second thread",
            RGBColor(200, 40, 40),
            -0.36,
        ),
    ];
    for (group, name, colour, offset) in groups {
        let bars: Vec<(f64, f64, f64)> = LOCKS
            .iter()
            .enumerate()
            .filter_map(|(index, (id, _))| {
                let bench = locks.get(group, id)?;
                let row = (LOCKS.len() - 1 - index) as f64;
                Some((row + offset, row + offset + 0.34, bench.mean_ns))
            })
            .collect();
        chart
            .draw_series(bars.iter().map(|&(low, high, ns)| {
                Rectangle::new([(1.0, low), (ns.max(1.0), high)], colour.filled())
            }))?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], colour.filled()));
        chart.draw_series(bars.iter().map(|&(low, high, ns)| {
            Text::new(
                format!(" {}", nanoseconds(ns)),
                (ns.max(1.0), (low + high) / 2.0 + 0.08),
                (FONT, 13),
            )
        }))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font((FONT, 14))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .draw()?;
    root.present()
        .with_context(|| format!("could not write {}", path.display()))
}

/// The item drawn at whole number `x` of a category axis; `None` between items.
fn category<T>(items: &[T], x: f64) -> Option<&T> {
    let nearest = x.round();
    if (x - nearest).abs() > 0.01 || nearest < 0.0 {
        return None;
    }
    items.get(nearest as usize)
}
