//! `cargo xtask bench tests [--before REV]`: what the test command costs a contributor, from
//! a fresh clone (the pinned book tools already built, as after the README's first
//! command): the first `cargo xtask test` and a second one, stage by stage; a warm `cargo
//! test` with nothing changed, with every check run again, and after a book page or an
//! exercise's hint is edited. With `--before`, the same is measured first on that revision, so
//! that both sides come from one machine in one session.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::bench::{secs, timed};
use crate::command::{cargo, show};

/// A page, and an exercise's first hint in the manifest, that every revision has, edited
/// the way a contributor would: words added. (An exercise's code cannot be edited alone:
/// a test holds its harness to its solutions'.)
const PAGE: &str = "src/introduction.md";
const MANIFEST: &str = "exercises/exercises.toml";
const HINT: &str = "\"Read the error's notes from the bottom up";
const HINT_EDITED: &str = "\"Take your time. Read the error's notes from the bottom up";

pub fn times(before: Option<&str>) -> Result<Value> {
    let scratch = std::env::temp_dir().join("cannot-be-sent-bench-tests");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)?;
    let mut sides = serde_json::Map::new();
    if let Some(revision) = before {
        sides.insert(
            "before".into(),
            side(&scratch.join("before"), revision, false)?,
        );
    }
    sides.insert("now".into(), side(&scratch.join("now"), "HEAD", true)?);
    fs::remove_dir_all(&scratch).ok();
    Ok(Value::Object(sides))
}

/// One revision, measured in a fresh clone of it.
fn side(dir: &Path, revision: &str, replays: bool) -> Result<Value> {
    let clone = dir.join("clone");
    fs::create_dir_all(dir)?;
    let mut git = Command::new("git");
    git.args(["clone", "--quiet", "--no-hardlinks"])
        .arg(crate::root())
        .arg(&clone);
    crate::command::run(&mut git)?;
    let commit = git_in(&clone, &["rev-parse", "--short", revision])?;
    crate::command::run(
        Command::new("git")
            .args(["checkout", "--quiet", &commit])
            .current_dir(&clone),
    )?;

    let first = xtask_test(&clone, &dir.join("first.log"))?;
    let second = xtask_test(&clone, &dir.join("second.log"))?;
    let warm = cargo_test(&clone, &[])?;
    let all_run = if replays {
        Some(cargo_test(&clone, &[("CANNOT_BE_SENT_TEST_CACHE", "off")])?)
    } else {
        None
    };
    append(&clone.join(PAGE), "\n")?;
    let page_edited = cargo_test(&clone, &[])?;
    let manifest = clone.join(MANIFEST);
    let text = fs::read_to_string(&manifest)?;
    if !text.contains(HINT) {
        bail!("{MANIFEST} at {commit} has no hint starting {HINT}");
    }
    fs::write(&manifest, text.replacen(HINT, HINT_EDITED, 1))?;
    let exercise_edited = cargo_test(&clone, &[])?;

    let measured = json!({
        "commit": commit,
        "first_xtask_test": first,
        "second_xtask_test": second,
        "warm_cargo_test_seconds": secs(warm),
        "warm_cargo_test_every_check_run_seconds": all_run.map(secs),
        "cargo_test_after_a_page_edit_seconds": secs(page_edited),
        "cargo_test_after_an_exercise_hint_edit_seconds": secs(exercise_edited),
    });
    // Kept as soon as measured: a later failure must not lose it.
    fs::write(
        dir.join("measured.json"),
        serde_json::to_string_pretty(&measured)?,
    )?;
    eprintln!("{}", serde_json::to_string_pretty(&measured)?);
    Ok(measured)
}

/// `cargo xtask test` in the clone: its wall time and the stage table it prints.
fn xtask_test(clone: &Path, log: &Path) -> Result<Value> {
    let file = fs::File::create(log)?;
    let mut command = in_clone(clone, &["xtask", "test"]);
    command.stdout(Stdio::null()).stderr(file);
    eprintln!(
        "$ {} (in {}; log: {})",
        show(&command),
        clone.display(),
        log.display()
    );
    let started = Instant::now();
    let status = command.status().with_context(|| show(&command))?;
    let took = started.elapsed();
    if !status.success() {
        bail!(
            "`cargo xtask test` failed in {}: see {}",
            clone.display(),
            log.display()
        );
    }
    let text = fs::read_to_string(log)?;
    Ok(json!({
        "seconds": secs(took),
        "stages": stage_table(&text),
        "cpu_seconds": cpu_time(&text),
    }))
}

/// The run's CPU time, from its `CPU time: N s …` line (revisions before it print none).
fn cpu_time(output: &str) -> Option<f64> {
    output
        .lines()
        .find_map(|line| line.strip_prefix("CPU time: "))
        .and_then(|rest| rest.split(" s").next())
        .and_then(|seconds| seconds.parse().ok())
}

/// The rows of the first `| stage | time |` table in the output.
fn stage_table(output: &str) -> Value {
    let mut rows = serde_json::Map::new();
    let mut inside = false;
    for line in output.lines() {
        if line.starts_with("| stage | time |") {
            inside = true;
            rows.clear();
            continue;
        }
        if !inside || line.starts_with("|---") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        match cells.as_slice() {
            [name, time] => {
                let seconds = time.strip_suffix(" s").and_then(|t| t.parse::<f64>().ok());
                rows.insert((*name).to_owned(), json!(seconds));
            }
            _ => inside = false,
        }
    }
    Value::Object(rows)
}

fn cargo_test(clone: &Path, env: &[(&str, &str)]) -> Result<Duration> {
    let mut command = in_clone(clone, &["test", "--workspace", "--locked"]);
    command.stdout(Stdio::null()).stderr(Stdio::null());
    command.envs(env.iter().copied());
    timed(&mut command)
}

fn in_clone(clone: &Path, args: &[&str]) -> Command {
    let mut command = cargo(args);
    command
        .current_dir(clone)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CI");
    command
}

fn append(path: &PathBuf, text: &str) -> Result<()> {
    let mut content = fs::read_to_string(path).with_context(|| path.display().to_string())?;
    content.push_str(text);
    fs::write(path, content)?;
    Ok(())
}

fn git_in(dir: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git").args(args).current_dir(dir).output()?;
    if !output.status.success() {
        bail!("git {} failed", args.join(" "));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::{cpu_time, stage_table};

    #[test]
    fn the_cpu_time_is_read_when_the_run_printed_it() {
        assert_eq!(
            cpu_time("x\nCPU time: 812 s (user and system), 90% of…\n"),
            Some(812.0)
        );
        assert_eq!(cpu_time("| all run | 9.0 s |\n"), None);
    }

    #[test]
    fn the_stage_table_is_read_and_the_binaries_table_is_not() {
        let output = "noise\n\n| stage | time |\n|---|---|\n| fmt | 1.5 s |\n| lab | skipped |\n\
                      | all run | 9.0 s |\n\n| slowest test binaries | time |\n|---|---|\n\
                      | checker/tests/editor.rs | 3.0 s |\n";
        let table = stage_table(output);
        assert_eq!(table["fmt"], 1.5);
        assert!(table["lab"].is_null());
        assert_eq!(table["all run"], 9.0);
        assert!(table.get("checker/tests/editor.rs").is_none());
    }
}
