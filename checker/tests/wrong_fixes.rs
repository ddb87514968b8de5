//! Fixes that make the error go away without learning the lesson are never "Solved".
//!
//! `checker/tests/wrong-fixes/` holds real attempts, one file each, named after the exercise
//! they attempt (`<id>--<what>.rs`): promises (`unsafe impl Send`/`Sync`, a wrapper that
//! declares a future `Send`, an `#[allow]` of the lint that finds a held guard) and fixes
//! that break what the exercise asks to keep (a generic made concrete, tasks replaced by
//! one `join_all`, the app changed where the library should be). Each compiles; the
//! checker must refuse each, and say why.

use checker::material::verdicts::{Inputs, replay_or_run_test};
use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use checker::material::manifest::Manifest;
use checker::workshop::Workshop;
use checker::workshop::attempt::{self, Limits, Outcome};
use checker::workshop::constraints;
use checker::workshop::progress::Status;
use checker::workshop::promises;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a check unless it passed before with the same inputs: see
/// `checker::material::verdicts`. No check here reads an exercise's hints.
fn checked(name: &str, check: impl FnOnce()) {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    let inputs = INPUTS.get_or_init(|| {
        Inputs::new(&root())
            .material_but_hints()
            .path("checker/tests/wrong-fixes")
    });
    replay_or_run_test(&format!("wrong_fixes::{name}"), inputs, check);
}

/// What the checker must answer for each wrong fix: a promise on the given page, or the
/// broken constraint's words.
enum Expected {
    Promise(&'static str),
    Breaks(&'static str),
}

const WRONG_FIXES: &[(&str, Expected)] = &[
    (
        "price-warmer-cell--unsafe-sync.rs",
        Expected::Promise(promises::UNSAFE_PAGE),
    ),
    (
        "alerts-arc-dyn-notifier--unsafe-send-sync.rs",
        Expected::Promise(promises::UNSAFE_PAGE),
    ),
    (
        "uploads-boxed-future--assert-send.rs",
        Expected::Promise(promises::UNSAFE_PAGE),
    ),
    (
        "uploads-boxed-future--assert-send.rs",
        Expected::Breaks("the fix belongs in the library"),
    ),
    (
        "export-worker-trait--concrete.rs",
        Expected::Breaks("keep the trait and the generic worker"),
    ),
    (
        "disk-usage-walker--join-all.rs",
        Expected::Breaks("walk each subdirectory in a task of its own"),
    ),
    (
        "proxy-route-lookup--tokio-mutex.rs",
        Expected::Breaks("keep the std mutex"),
    ),
    (
        "oauth-callback--allow-lint.rs",
        Expected::Promise(promises::LINTS_PAGE),
    ),
];

fn wrong_fix_files() -> Vec<String> {
    let dir = root().join("checker/tests/wrong-fixes");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .expect("checker/tests/wrong-fixes is readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    files.sort();
    files
}

/// Checks every wrong fix as a learner's attempt, in a working copy of its own, and
/// requires the checker to refuse it for the expected reason.
#[test]
fn every_wrong_fix_compiles_and_is_refused_with_its_reason() {
    checked(
        &format!(
            "every_wrong_fix_compiles_and_is_refused_with_its_reason{}",
            checker::material::manifest::scope()
        ),
        || {
            let root = root();
            let dir = root.join("target/test-workshops/wrong-fixes");
            let _ = fs::remove_dir_all(&dir);
            let workshop = Workshop::open_at(&root, &dir).expect("the working copy opens");
            let mut failures = Vec::new();
            for file in wrong_fix_files() {
                let id = file.split("--").next().unwrap_or_default();
                if !checker::material::manifest::is_checked(id) {
                    continue;
                }
                let exercise = workshop.find(id).expect("the wrong fix names an exercise");
                workshop.ensure_attempt(exercise).expect("a copy is made");
                let text = fs::read_to_string(root.join("checker/tests/wrong-fixes").join(&file))
                    .expect("the wrong fix is readable");
                fs::write(workshop.attempt_path(exercise), text).expect("the attempt is written");
                let limits = Limits {
                    process: Duration::from_secs(30),
                    watchdog: Some(Duration::from_secs(5)),
                };
                let report =
                    attempt::check_within(&workshop, exercise, limits).expect("the check runs");
                assert_ne!(report.status(), Status::Solved, "{file}: {report:?}");
                let Outcome::Refused {
                    promises, broken, ..
                } = &report.outcome
                else {
                    failures.push(format!("{file}: not refused: {:?}", report.outcome));
                    continue;
                };
                let verdict = promises::verdict(&root, exercise, promises, broken);
                println!("── {file}{verdict}");
                for (_, expected) in WRONG_FIXES.iter().filter(|(f, _)| *f == file) {
                    match expected {
                        Expected::Promise(page) => {
                            if !promises.iter().any(|p| p.page == *page)
                                || !verdict.contains("by a promise the code does not keep")
                            {
                                failures.push(format!(
                                    "{file}: no promise explained by {page}: {verdict}"
                                ));
                            }
                        }
                        Expected::Breaks(says) => {
                            if !broken.iter().any(|b| b.says.contains(says))
                                || !verdict.contains(says)
                            {
                                failures.push(format!("{file}: {says:?} is not named: {verdict}"));
                            }
                        }
                    }
                }
            }
            assert!(failures.is_empty(), "\n{}", failures.join("\n"));
        },
    );
}

/// Every file in the folder has its expected answer, and every expected answer its file.
#[test]
fn every_wrong_fix_has_an_expected_answer() {
    checked("every_wrong_fix_has_an_expected_answer", || {
        let files = wrong_fix_files();
        for file in &files {
            assert!(
                WRONG_FIXES.iter().any(|(f, _)| f == file),
                "{file}: add what the checker must answer to WRONG_FIXES"
            );
        }
        for (file, _) in WRONG_FIXES {
            assert!(files.iter().any(|f| f == file), "{file} is missing");
        }
    });
}

/// The reference solutions promise nothing and keep every constraint, and every exercise
/// keeps its own constraints as shipped: the rules refuse only what they are meant to.
#[test]
fn solutions_and_exercises_keep_their_constraints_and_promise_nothing() {
    checked(
        "solutions_and_exercises_keep_their_constraints_and_promise_nothing",
        || {
            let root = root();
            let manifest = Manifest::load(&root).expect("the manifest loads");
            let mut problems = Vec::new();
            for exercise in &manifest.exercises {
                let pristine = fs::read_to_string(exercise.source(&root)).expect("the exercise");
                for broken in constraints::broken(&exercise.keep, &pristine, &pristine) {
                    problems.push(format!("{} as shipped: {}", exercise.id, broken.found));
                }
                for solution in &exercise.solutions {
                    let text = fs::read_to_string(root.join("solutions").join(&solution.file))
                        .expect("the solution");
                    for promise in promises::new_promises(&text, &pristine) {
                        problems.push(format!(
                            "solutions/{}:{}: {}",
                            solution.file, promise.line, promise.means
                        ));
                    }
                    for broken in constraints::broken(&exercise.keep, &text, &pristine) {
                        problems.push(format!("solutions/{}: {}", solution.file, broken.found));
                    }
                }
            }
            assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
        },
    );
}
