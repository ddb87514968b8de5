//! Runs every program of the material, each in its own process, and checks its verdict:
//!
//! * every solution passes its behaviour check;
//! * every `runs-wrong` exercise fails its check, for the reason its manifest entry gives;
//! * every proof in `proofs/compiles/` runs to the end.
//!
//! One test per program, so `cargo test --test programs -- 01-oauth` runs just those.

use std::path::PathBuf;
use std::process::Command;

use checker::harness::Verdict;
use checker::manifest::{Manifest, Outcome};
use libtest_mimic::{Arguments, Failed, Trial};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(program: &str) -> Result<checker::run::Run, Failed> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_material"));
    command.arg(program).current_dir(root());
    checker::run::run(command).map_err(|err| format!("{program}: {err:#}").into())
}

fn must_pass(program: String) -> Trial {
    Trial::test(program.clone(), move || {
        let outcome = run(&program)?;
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
}

fn must_fail(program: String, reason: String) -> Trial {
    Trial::test(program.clone(), move || {
        let outcome = run(&program)?;
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
}

fn main() {
    let args = Arguments::from_args();
    let root = root();
    let manifest = match Manifest::load(&root) {
        Ok(manifest) => manifest,
        Err(err) => {
            eprintln!("cannot read the manifest: {err:#}");
            std::process::exit(1);
        }
    };

    let mut trials = Vec::new();
    for exercise in &manifest.exercises {
        if exercise.outcome == Outcome::RunsWrong {
            let reason = exercise.fails_with.clone().unwrap_or_default();
            trials.push(must_fail(exercise.source_rel(), reason));
        }
        for solution in &exercise.solutions {
            trials.push(must_pass(format!("solutions/{}", solution.file)));
        }
    }
    let proofs = std::fs::read_dir(root.join("proofs/compiles")).into_iter().flatten();
    let mut proof_names: Vec<String> = proofs
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    proof_names.sort();
    trials.extend(
        proof_names
            .into_iter()
            .map(|name| must_pass(format!("proofs/compiles/{name}"))),
    );

    libtest_mimic::run(&args, trials).exit();
}
