//! `cargo xtask test`: every check CI runs, in order from quickest to slowest to fail.

use anyhow::Result;

use std::process::Command;
use std::time::{Duration, Instant};

use crate::command::{cargo, run as run_command};
use crate::tools;

/// The stages, in order from quickest to slowest to fail.
const STAGES: [&str; 9] = [
    "toolchain",
    "fmt",
    "workflows",
    "clippy",
    "test",
    "lab",
    "book",
    "browser",
    "kit",
];

/// Parts of `cargo test` that a change to one area can run alone.
const TEST_PARTS: [(&str, &[&str]); 3] = [
    (
        "explain",
        &[
            "explain_corpus",
            "explain_project",
            "explain_projects",
            "editor",
        ],
    ),
    ("workshop", &["workshop", "wrong_fixes", "hints"]),
    (
        "material",
        &["compile_fail", "programs", "manifest", "book"],
    ),
];

pub fn run(wanted: &[String]) -> Result<()> {
    for name in wanted {
        if !STAGES.contains(&name.as_str()) && !TEST_PARTS.iter().any(|(p, _)| p == name) {
            anyhow::bail!(
                "no stage {name:?}: the stages are {}, and the parts of `test` are {}",
                STAGES.join(", "),
                TEST_PARTS.map(|(p, _)| p).join(", ")
            );
        }
    }
    let all = wanted.is_empty();
    let mut stages = Stages {
        wanted,
        times: Vec::new(),
    };
    stages.run("toolchain", &mut crate::toolchain::ensure_components)?;
    stages.run("fmt", &mut || {
        run_command(&mut cargo(&["fmt", "--all", "--", "--check"]))?;
        // The material is compiled through `include!`, which `cargo fmt` does not follow.
        run_command(&mut material_rustfmt_check()?)
    })?;
    stages.run("workflows", &mut crate::browser::lint_workflows)?;
    stages.run("clippy", &mut || {
        run_command(&mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    // The material: pinned errors, behaviour checks, manifest and book consistency.
    stages.run("test", &mut || {
        run_command(&mut cargo(&["test", "--workspace", "--locked"]))
    })?;
    if !all && !wanted.iter().any(|w| w == "test") {
        for (part, tests) in TEST_PARTS {
            if wanted.iter().any(|w| w == part) {
                let started = Instant::now();
                let mut args = vec!["test", "--locked"];
                for test in tests {
                    args.extend(["--test", test]);
                }
                let outcome = run_command(&mut cargo(&args));
                stages
                    .times
                    .push((format!("test: {part}"), Some(started.elapsed())));
                if outcome.is_err() {
                    print_table(&stages.times);
                }
                outcome?;
            }
        }
    }
    // The lab is its own workspace (lab/Cargo.toml says why): checked on its own.
    stages.run("lab", &mut crate::lab::check)?;
    let mut built = false;
    stages.run("book", &mut || {
        let found = tools::ensure_all()?;
        run_command(found.mdbook()?.arg("build"))?;
        run_command(found.mdbook()?.arg("test"))?;
        if !all {
            run_command(&mut cargo(&["test", "--locked", "--test", "book"]))?;
        }
        built = true;
        Ok(())
    })?;
    // What a reader sees: every page in a real browser, links, search, callouts.
    stages.run("browser", &mut || {
        if !built {
            // The browser reads the built book.
            let found = tools::ensure_all()?;
            run_command(found.mdbook()?.arg("build"))?;
        }
        crate::browser::check_book()
    })?;
    // The offline kit: packed, unpacked, and an exercise checked with the network off.
    stages.run("kit", &mut || crate::kit::run(true, built))?;
    print_table(&stages.times);
    if all {
        eprintln!("\nAll checks passed.");
    } else {
        eprintln!(
            "\nThe stages named passed; the full run is `cargo xtask test` with no stage named."
        );
    }
    Ok(())
}

/// The stages asked for, and how long each took.
struct Stages<'a> {
    wanted: &'a [String],
    times: Vec<(String, Option<Duration>)>,
}

impl Stages<'_> {
    fn run(&mut self, name: &str, stage: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        if !self.wanted.is_empty() && !self.wanted.iter().any(|w| w == name) {
            self.times.push((name.to_owned(), None));
            return Ok(());
        }
        let started = Instant::now();
        let outcome = stage();
        self.times.push((name.to_owned(), Some(started.elapsed())));
        if outcome.is_err() {
            print_table(&self.times);
        }
        outcome
    }
}

/// Each stage and its wall time, or that it was skipped.
fn print_table(times: &[(String, Option<Duration>)]) {
    eprintln!("\n| stage | time |\n|---|---|");
    let mut total = Duration::ZERO;
    for (name, took) in times {
        match took {
            Some(took) => {
                total += *took;
                eprintln!("| {name} | {:.1} s |", took.as_secs_f64());
            }
            None => eprintln!("| {name} | skipped |"),
        }
    }
    eprintln!("| all run | {:.1} s |", total.as_secs_f64());
}

/// `rustfmt --check` over every Rust file in exercises/, solutions/ and proofs/, and the
/// learners' wrong fixes that checker/tests/wrong_fixes.rs checks.
fn material_rustfmt_check() -> Result<Command> {
    let root = crate::root();
    let mut files = Vec::new();
    for folder in [
        "exercises",
        "solutions",
        "proofs",
        "checker/tests/wrong-fixes",
    ] {
        collect_rust_files(&root.join(folder), &mut files)?;
    }
    files.sort();
    let mut command = Command::new("rustfmt");
    command
        .args(["--edition", "2024", "--check"])
        .args(files)
        .current_dir(&root);
    Ok(command)
}

fn collect_rust_files(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            // A nested package (with its own Cargo.toml) is formatted by its own check.
            if !path.join("Cargo.toml").exists() {
                collect_rust_files(&path, files)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}
