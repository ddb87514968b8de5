//! The lab at a tiny scale, so that its code cannot rot between benchmark runs.
//!
//! Nothing here measures time or asserts on a rate: on a busy machine any such assertion
//! would fail now and then. What is checked holds on any machine: every variant answers
//! with the downstream's body, the held lock never lets two downstream calls overlap, the
//! scoped variants do, and the whole pipeline from a run to the charts produces its files.

use std::fs;
use std::time::Duration;

use indicatif::ProgressBar;
use lab::analysis::Summary;
use lab::downstream::{self, Downstream};
use lab::experiment::{self, Parameters, ProxySystem};
use lab::load::{self, LoadPlan, Timing};
use lab::locks::{self, BenchSettings, LockBench, LockResults};
use lab::machine::Machine;
use lab::proxy::Variant;
use lab::{charts, report};
use tokio_util::sync::CancellationToken;

/// Long enough never to fire on a working proxy, short enough to fail a broken one.
const PATIENCE: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_variant_forwards_the_downstream_answer() {
    for variant in Variant::ALL {
        let system = ProxySystem::start(variant, Downstream::default())
            .await
            .unwrap();
        let url = system.proxy_url().unwrap();
        let (status, body) = load::fetch_once(&url).await.unwrap();
        assert_eq!(
            (status.as_u16(), body.as_str()),
            (200, downstream::BODY),
            "{variant}"
        );

        let unknown = system.proxy.url("/nowhere").parse().unwrap();
        let (status, _) = load::fetch_once(&unknown).await.unwrap();
        assert_eq!(status.as_u16(), 404, "{variant}: an unknown service");
        system.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_held_lock_never_lets_two_downstream_calls_overlap() {
    let downstream = Downstream::with_latency(Duration::from_millis(2));
    let in_flight = downstream.in_flight();
    let system = ProxySystem::start(Variant::HeldTokio, downstream)
        .await
        .unwrap();
    // Four clients, three requests each, every one awaited to its answer. (A timed load run
    // would cut its last requests short, and a request dropped while the proxy waits for
    // the downstream releases the lock while that downstream call is still running.)
    let url = system.proxy_url().unwrap();
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let url = url.clone();
        clients.spawn(async move {
            for _ in 0..3 {
                let (status, _) = load::fetch_once(&url).await.unwrap();
                assert_eq!(status.as_u16(), 200);
            }
        });
    }
    while let Some(client) = clients.join_next().await {
        client.unwrap();
    }
    assert_eq!(
        in_flight.most(),
        1,
        "the held lock serialises downstream calls"
    );
    system.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scoped_variants_let_downstream_calls_overlap() {
    for variant in Variant::ALL {
        if variant.serialises_downstream_calls() {
            continue;
        }
        // The downstream answers only when two calls are inside it at once: a variant that
        // serialised its calls would never get an answer, and time out.
        let system = ProxySystem::start(variant, Downstream::rendezvous(2))
            .await
            .unwrap();
        let url = system.proxy_url().unwrap();
        let both = async { tokio::join!(load::fetch_once(&url), load::fetch_once(&url)) };
        let (first, second) = tokio::time::timeout(PATIENCE, both)
            .await
            .unwrap_or_else(|_| panic!("{variant}: the two calls never overlapped"));
        assert_eq!(first.unwrap().1, downstream::BODY);
        assert_eq!(second.unwrap().1, downstream::BODY);
        system.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_run_stops_at_once_and_reports_what_it_has() {
    let system = ProxySystem::start(Variant::ScopedStd, Downstream::default())
        .await
        .unwrap();
    let cancel = CancellationToken::new();
    cancel.cancel();
    let plan = LoadPlan {
        url: system.proxy_url().unwrap(),
        concurrency: 2,
        timing: Timing {
            measure: Duration::from_secs(3600),
            ..Timing::tiny()
        },
    };
    let report = tokio::time::timeout(PATIENCE, load::run(&plan, &ProgressBar::hidden(), &cancel))
        .await
        .expect("a cancelled run ends")
        .unwrap();
    assert!(report.window < Duration::from_secs(3600));
    system.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_standard_set_produces_results_tables_and_charts() {
    let parameters = Parameters::tiny();
    let results = experiment::run_all(
        &parameters,
        &ProgressBar::hidden(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert!(results.complete);
    assert_eq!(
        results.runs[0].points.len(),
        parameters.variants.len() * parameters.concurrencies.len()
    );
    for point in &results.runs[0].points {
        assert_eq!(
            point.report.errors, 0,
            "{}: {:?}",
            point.variant, point.report
        );
    }

    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    report::write_json(&dir.join(report::PROXY_JSON), &results).unwrap();
    let read_back: experiment::ProxyResults =
        report::read_json(&dir.join(report::PROXY_JSON)).unwrap();
    assert_eq!(read_back.runs.len(), results.runs.len());

    let csv = report::proxy_csv(&results);
    // A header, the downstream alone, every variant at D = 0, every point.
    assert_eq!(csv.lines().count(), 1 + 1 + 2 * parameters.variants.len());

    let locks = fake_lock_results();
    let summary = Summary::of(&results).unwrap();
    let tables = report::tables(&summary, &results, Some(&locks));
    for anchor in [
        "machine",
        "calibration",
        "ceilings",
        "throughput",
        "latency",
        "reduction",
        "locks",
    ] {
        assert!(tables.contains(&format!("ANCHOR: {anchor} ")), "{anchor}");
        assert!(
            tables.contains(&format!("ANCHOR_END: {anchor} ")),
            "{anchor}"
        );
    }

    charts::throughput(&summary, &results, &dir.join(charts::THROUGHPUT_SVG)).unwrap();
    charts::latency(&summary, &results, &dir.join(charts::LATENCY_SVG)).unwrap();
    charts::lock_costs(&locks, &dir.join(charts::LOCKS_SVG)).unwrap();
    for chart in [
        charts::THROUGHPUT_SVG,
        charts::LATENCY_SVG,
        charts::LOCKS_SVG,
    ] {
        let svg = fs::read_to_string(dir.join(chart)).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{chart}");
    }
}

#[test]
fn lock_estimates_are_read_from_criterions_folders() {
    let folder = tempfile::tempdir().unwrap();
    for group in [locks::UNCONTENDED, locks::CONTENDED] {
        for (id, _) in locks::LOCKS {
            let dir = folder.path().join(group).join(id).join("new");
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("estimates.json"), CRITERION_ESTIMATES).unwrap();
        }
    }
    let benches = locks::collect(folder.path()).unwrap();
    assert_eq!(benches.len(), 2 * locks::LOCKS.len());
    assert_eq!(benches[0].mean_ns, 14.5);
    assert_eq!(benches[0].median_ns, 14.25);

    fs::remove_dir_all(folder.path().join(locks::CONTENDED)).unwrap();
    assert!(
        locks::collect(folder.path()).is_err(),
        "a missing benchmark is an error"
    );
}

fn fake_lock_results() -> LockResults {
    let benches = [locks::UNCONTENDED, locks::CONTENDED]
        .into_iter()
        .flat_map(|group| {
            locks::LOCKS
                .iter()
                .enumerate()
                .map(move |(i, (id, _))| LockBench {
                    group: group.to_owned(),
                    lock: (*id).to_owned(),
                    mean_ns: 10.0 + i as f64,
                    mean_low_ns: 9.0,
                    mean_high_ns: 11.0 + i as f64,
                    median_ns: 10.0,
                })
        })
        .collect();
    LockResults {
        machine: Machine::here(),
        settings: BenchSettings {
            warm_up_s: 0.1,
            measurement_s: 0.1,
        },
        benches,
    }
}

/// The shape of criterion's `new/estimates.json`, trimmed to what is read.
const CRITERION_ESTIMATES: &str = r#"{
  "mean": {"confidence_interval": {"confidence_level": 0.95, "lower_bound": 14.0, "upper_bound": 15.0},
           "point_estimate": 14.5, "standard_error": 0.1},
  "median": {"confidence_interval": {"confidence_level": 0.95, "lower_bound": 14.0, "upper_bound": 14.5},
             "point_estimate": 14.25, "standard_error": 0.1},
  "std_dev": null
}"#;
