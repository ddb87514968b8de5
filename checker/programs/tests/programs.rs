//! Runs every program of the material, each in its own process, and checks its verdict:
//!
//! * every solution passes its behaviour check;
//! * every `runs-wrong` exercise fails its check, for the reason its manifest entry gives;
//! * every proof in `proofs/compiles/` passes its check (or, with no check, runs to the end);
//! * every proof in `proofs/runs-wrong/` fails, for the reason its `// Verdict:` line gives.
//!
//! One test per program, so `cargo test --test programs -- 01-oauth` runs just those.

use std::path::{Path, PathBuf};
use std::process::Command;

use checker::harness::Verdict;
use checker::material::manifest::{Manifest, Outcome};
use checker::material::verdicts::{Inputs, replay_or_run};
use libtest_mimic::{Arguments, Failed, Trial};

/// The repository's root: this package sits at checker/programs/.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A program expected to block its runtime's thread needs no more than this before the
/// watchdog says so; every other program gets the harness's full limit.
const EXPECTED_BLOCK_LIMIT_SECS: &str = "2";

fn run(program: &str, expect_blocked: bool) -> Result<checker::harness::run::Run, Failed> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_material"));
    command.arg(program).current_dir(root());
    if expect_blocked {
        // Shortening the wait cannot make such a program pass: it can only be reported as
        // blocked sooner.
        command.env(checker::harness::WATCHDOG_ENV, EXPECTED_BLOCK_LIMIT_SECS);
    }
    checker::harness::run::run(command).map_err(|err| format!("{program}: {err:#}").into())
}

/// What a program's check reads: the material but the hints, and the binary that runs it (see
/// `checker::material::verdicts`).
fn inputs() -> &'static Inputs {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    INPUTS.get_or_init(|| {
        Inputs::new(&root())
            .material_but_hints()
            .program(Path::new(env!("CARGO_BIN_EXE_material")))
    })
}

fn must_pass(program: String) -> Trial {
    Trial::test(program.clone(), move || {
        replay_or_run(&format!("programs::{program}"), inputs(), || {
            let outcome = run(&program, false)?;
            match outcome.verdict {
                Verdict::Passed => Ok(()),
                other => Err(format!(
                    "{program} should pass its check, but: {}\n{}",
                    other.describe(),
                    outcome.stderr
                )
                .into()),
            }
        })
    })
}

fn must_fail(program: String, reason: String) -> Trial {
    Trial::test(program.clone(), move || {
        replay_or_run(&format!("programs::{program}"), inputs(), || {
            let outcome = run(&program, reason.starts_with("blocked"))?;
            let described = outcome.verdict.describe();
            if outcome.verdict == Verdict::Passed {
                Err(format!("{program} is broken on purpose, but its check passed").into())
            } else if !described.contains(&reason) {
                Err(format!(
                    "{program} should fail because of {reason:?}, but failed with: {described}\n{}",
                    outcome.stderr
                )
                .into())
            } else {
                Ok(())
            }
        })
    })
}

fn main() {
    let mut args = Arguments::from_args();
    // Most programs finish in milliseconds and the rest sit waiting for a watchdog, so
    // running more of them at once than there are cores shortens the run.
    if args.test_threads.is_none() {
        args.test_threads = Some(8);
    }
    let root = root();
    let manifest = match Manifest::load(&root) {
        Ok(manifest) => manifest,
        Err(err) => {
            eprintln!("cannot read the manifest: {err:#}");
            std::process::exit(1);
        }
    };

    let mut trials = Vec::new();
    let only = checker::material::manifest::only_exercise();
    for exercise in &manifest.exercises {
        if !checker::material::manifest::is_checked(&exercise.id) {
            continue;
        }
        if exercise.outcome == Outcome::RunsWrong {
            let reason = exercise.fails_with.clone().unwrap_or_default();
            trials.push(must_fail(exercise.source_rel(), reason));
        }
        for solution in &exercise.solutions {
            trials.push(must_pass(format!("solutions/{}", solution.file)));
        }
    }
    // One exercise asked for: its programs only; the proofs are left to the full run.
    if only.is_none() {
        for proof in rust_files(&root, "proofs/compiles") {
            trials.push(must_pass(proof));
        }
        for proof in rust_files(&root, "proofs/runs-wrong") {
            match expected_verdict(&root, &proof) {
                Some(reason) => trials.push(must_fail(proof, reason)),
                None => trials.push(Trial::test(proof.clone(), move || {
                    Err(format!("{proof} needs a `// Verdict: …` line naming why it fails").into())
                })),
            }
        }
    }

    libtest_mimic::run(&args, trials).exit();
}

/// The `.rs` files of `folder`, as paths relative to the root, sorted.
fn rust_files(root: &Path, folder: &str) -> Vec<String> {
    let entries = std::fs::read_dir(root.join(folder)).into_iter().flatten();
    let mut files: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .map(|name| format!("{folder}/{name}"))
        .collect();
    files.sort();
    files
}

/// The words after `// Verdict:` in a proof's header.
fn expected_verdict(root: &Path, proof: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join(proof)).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("// Verdict:"))
        .map(|reason| reason.trim().to_owned())
}
