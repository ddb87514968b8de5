//! `cargo xtask test`: every check CI runs, in order from quickest to slowest to fail.

use anyhow::{Context, Result};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
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

pub fn run(wanted: &[String], exercise: Option<&str>) -> Result<()> {
    let mut wanted = wanted.to_vec();
    if let Some(id) = exercise {
        check_exercise_id(id)?;
        // Alone, `--exercise` is a part of `test` like the others.
        wanted.push(EXERCISE_PART.to_owned());
    }
    let wanted = &wanted[..];
    for name in wanted {
        let known = STAGES.contains(&name.as_str())
            || TEST_PARTS.iter().any(|(p, _)| p == name)
            || (name == EXERCISE_PART && exercise.is_some());
        if !known {
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
        started: Instant::now(),
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
    let mut report = TestReport::default();
    stages.run("test", &mut || {
        report = test_in_lanes()?;
        Ok(())
    })?;
    if !all && !wanted.iter().any(|w| w == "test") {
        for (part, tests) in TEST_PARTS {
            if wanted.iter().any(|w| w == part) {
                let started = Instant::now();
                let mut args = vec!["test", "--locked"];
                for test in tests {
                    args.extend(["--test", test]);
                }
                let outcome = cargo_test(&args).map(|part| report.add(part));
                stages
                    .times
                    .push((format!("test: {part}"), Some(started.elapsed())));
                if outcome.is_err() {
                    print_table(&stages.times, stages.started);
                }
                outcome?;
            }
        }
    }
    if let Some(id) = exercise.filter(|_| !wanted.iter().any(|w| w == "test")) {
        let started = Instant::now();
        let outcome = exercise_checks(id).map(|part| report.add(part));
        stages
            .times
            .push((format!("test: exercise {id}"), Some(started.elapsed())));
        if outcome.is_err() {
            print_table(&stages.times, stages.started);
        }
        outcome?;
    }
    // The lab is its own workspace (lab/Cargo.toml says why): checked on its own, in its
    // place. It builds into the root's target/, so beside the browser check it would hold
    // cargo's lock there while the served book's preprocessor and every Run in the page
    // wait for it (43 s for the preprocessor alone, measured).
    stages.run("lab", &mut crate::lab::check)?;
    // The kit mostly compiles, in a target folder of its own, and the browser check mostly
    // waits on Chromium: when the book and the browser check run, the kit runs beside the
    // browser check, in a process of its own whose output is kept in
    // target/kit-stage.log. Otherwise it runs in its place.
    let beside = stages.wants("book") && stages.wants("browser");
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
    let mut jobs = Vec::new();
    if beside && stages.wants("kit") {
        // The book in book/ was built by this run's book stage.
        jobs.push(("kit", &["kit", "--check", "--book-built"][..]));
    }
    let others = Beside::start(jobs);
    // What a reader sees: every page in a real browser, links, search, callouts.
    let browser = stages.run("browser", &mut || {
        if !built {
            // The browser reads the built book.
            let found = tools::ensure_all()?;
            run_command(found.mdbook()?.arg("build"))?;
        }
        crate::browser::check_book()
    });
    if let Err(err) = browser {
        others.stop();
        return Err(err);
    }
    for (name, took, outcome) in others.finish() {
        stages
            .times
            .push((format!("{name} (beside browser)"), Some(took)));
        if outcome.is_err() {
            print_table(&stages.times, stages.started);
        }
        outcome?;
    }
    if !beside {
        // The offline kit: packed, unpacked, and an exercise checked with the network off.
        stages.run("kit", &mut || crate::kit::run(true, built))?;
    }
    print_table(&stages.times, stages.started);
    report.print();
    write_record(&stages.times, stages.started.elapsed(), &report)?;
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
    started: Instant,
}

impl Stages<'_> {
    fn wants(&self, name: &str) -> bool {
        self.wanted.is_empty() || self.wanted.iter().any(|w| w == name)
    }

    fn run(&mut self, name: &str, stage: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        if !self.wanted.is_empty() && !self.wanted.iter().any(|w| w == name) {
            self.times.push((name.to_owned(), None));
            return Ok(());
        }
        let started = Instant::now();
        let outcome = stage();
        self.times.push((name.to_owned(), Some(started.elapsed())));
        if outcome.is_err() {
            print_table(&self.times, self.started);
        }
        outcome
    }
}

/// Stages run one after the other in a thread, each as `cargo xtask <args>` in a process
/// group of its own, while the browser check runs.
struct Beside {
    thread: std::thread::JoinHandle<Vec<Finished>>,
    /// The process group running now, and whether to start no other.
    running: std::sync::Arc<std::sync::Mutex<(Option<u32>, bool)>>,
}

/// A stage run beside: its name, its wall time, and how it ended.
type Finished = (&'static str, Duration, Result<()>);

impl Beside {
    fn start(jobs: Vec<(&'static str, &'static [&'static str])>) -> Beside {
        let running = std::sync::Arc::new(std::sync::Mutex::new((None, false)));
        let shared = running.clone();
        let thread = std::thread::spawn(move || {
            let mut finished = Vec::new();
            for (name, args) in jobs {
                let started = Instant::now();
                let outcome = run_beside(name, args, &shared);
                finished.push((name, started.elapsed(), outcome));
                if finished.last().is_some_and(|f| f.2.is_err()) {
                    break;
                }
            }
            finished
        });
        Beside { thread, running }
    }

    /// Stops the stage running now and every process it started (cargo, rustc).
    fn stop(self) {
        let group = {
            let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            running.1 = true;
            running.0
        };
        if let Some(group) = group {
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{group}")])
                .status();
        }
        let _ = self.thread.join();
    }

    fn finish(self) -> Vec<Finished> {
        self.thread.join().unwrap_or_else(|_| {
            vec![(
                "beside",
                Duration::ZERO,
                Err(anyhow::anyhow!(
                    "the stages beside the browser check panicked"
                )),
            )]
        })
    }
}

fn run_beside(
    name: &str,
    args: &[&str],
    running: &std::sync::Mutex<(Option<u32>, bool)>,
) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let log = target_dir().join(format!("{name}-stage.log"));
    let file =
        std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    let mut child = {
        let mut running = running.lock().unwrap_or_else(|p| p.into_inner());
        if running.1 {
            anyhow::bail!("stopped");
        }
        eprintln!(
            "\nThe {name} stage runs beside the browser check (its output: {}).",
            log.display()
        );
        let child = Command::new(std::env::current_exe()?)
            .args(args)
            .current_dir(crate::root())
            .stdout(file.try_clone()?)
            .stderr(file)
            .env(BESIDE_ENV, "1")
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting the {name} stage"))?;
        running.0 = Some(child.id());
        child
    };
    let status = child.wait();
    running.lock().unwrap_or_else(|p| p.into_inner()).0 = None;
    let status = status.with_context(|| format!("waiting for the {name} stage"))?;
    let output = std::fs::read_to_string(&log).unwrap_or_default();
    if !status.success() {
        eprintln!("{output}");
        anyhow::bail!("the {name} stage failed ({status}); its output is above");
    }
    // Its last words, such as the kit's size and how long its offline check took.
    for line in output
        .lines()
        .filter(|l| l.starts_with("The kit") || l.starts_with("The unpacked kit"))
    {
        eprintln!("{line}");
    }
    Ok(())
}

/// Each stage and its wall time, or that it was skipped.
/// The "all run" row is the wall time since the run began: stages that ran beside another
/// are not counted twice.
fn print_table(times: &[(String, Option<Duration>)], started: Instant) {
    eprintln!("\n| stage | time |\n|---|---|");
    for (name, took) in times {
        match took {
            Some(took) => eprintln!("| {name} | {:.1} s |", took.as_secs_f64()),
            None => eprintln!("| {name} | skipped |"),
        }
    }
    let wall = started.elapsed().as_secs_f64();
    eprintln!("| all run | {wall:.1} s |");
    if let Some(cpu) = crate::cpu::used_seconds() {
        let cores = crate::cpu::cores();
        eprintln!(
            "\nCPU time: {cpu:.0} s (user and system, of every process the run started and \
             waited for), {:.0}% of what {cores} cores give in {wall:.0} s. No order of the \
             stages could take less than {:.0} s.",
            100.0 * cpu / (wall * cores as f64),
            cpu / cores as f64
        );
    }
}

/// What `cargo test` said about its test binaries, and which slow checks it ran or
/// replayed (see `checker::material::verdicts`).
#[derive(Default)]
struct TestReport {
    /// Each test binary and the time its tests took, as libtest reports it.
    binaries: Vec<(String, f64)>,
    ran: usize,
    replayed: usize,
}

impl TestReport {
    fn add(&mut self, other: TestReport) {
        self.binaries.extend(other.binaries);
        self.ran += other.ran;
        self.replayed += other.replayed;
    }

    fn slowest(&self) -> Vec<&(String, f64)> {
        let mut slowest: Vec<_> = self.binaries.iter().collect();
        slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
        slowest.truncate(5);
        slowest
    }

    fn print(&self) {
        if self.binaries.is_empty() {
            return;
        }
        eprintln!("\n| slowest test binaries | time |\n|---|---|");
        for (name, seconds) in self.slowest() {
            eprintln!("| {name} | {seconds:.1} s |");
        }
        eprintln!(
            "\nSlow checks: {} run, {} passed before with the same inputs and were not run \
             again (`CANNOT_BE_SENT_TEST_CACHE=off cargo xtask test` runs them all).",
            self.ran, self.replayed
        );
    }
}

/// The name `--exercise` is known by among the stages.
const EXERCISE_PART: &str = "exercise";
/// What the checker's tests read to look at one exercise only.
const ONLY_EXERCISE_ENV: &str = "CANNOT_BE_SENT_EXERCISE";

/// The checks that go through every exercise, on one: its pinned error and programs, its
/// wrong fixes, and explain on it.
fn exercise_checks(id: &str) -> Result<TestReport> {
    let env = [(ONLY_EXERCISE_ENV, id)];
    let mut report = cargo_test_with(
        &[
            "test",
            "--locked",
            "--test",
            "compile_fail",
            "--test",
            "programs",
            "--test",
            "wrong_fixes",
        ],
        &env,
    )?;
    report.add(cargo_test_with(
        &[
            "test",
            "--locked",
            "--test",
            "workshop",
            "--",
            "explain_agrees_with_the_manifest_on_every_exercise",
        ],
        &env,
    )?);
    Ok(report)
}

/// An id of exercises/exercises.toml, or an error that lists them.
fn check_exercise_id(id: &str) -> Result<()> {
    let path = crate::root().join("exercises/exercises.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let ids: Vec<&str> = table
        .get("exercise")
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("id").and_then(|i| i.as_str()))
        .collect();
    if !ids.contains(&id) {
        anyhow::bail!(
            "no exercise {id:?} in exercises/exercises.toml; the ids are: {}",
            ids.join(", ")
        );
    }
    Ok(())
}

/// The target folder cargo uses here.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"))
}

/// Runs `cargo test` with these arguments, its output passed through as it comes, and
/// reads from it how long each test binary took.
fn cargo_test(args: &[&str]) -> Result<TestReport> {
    cargo_test_with(args, &[])
}

/// The same, with these settings in cargo's environment.
fn cargo_test_with(args: &[&str], env: &[(&str, &str)]) -> Result<TestReport> {
    counting_checks(|| run_cargo_test(args, env))
}

/// The test binaries that work on the test projects' copies in the temp folder: one lane
/// runs them, one after the other, while the other lane runs every other test.
const FIRST_LANE: &[&str] = &["explain_projects", "editor"];

/// `cargo test --workspace`, in two lanes. Most tests wait on cargo, rustc or a watchdog
/// for much of their time, so on two cores two binaries at once take little longer than
/// one. Everything is built first, once; then the first lane runs the tests on the test
/// projects' copies and the second every other test binary of the workspace (as cargo
/// metadata lists them, with the unit tests), then the doctests.
fn test_in_lanes() -> Result<TestReport> {
    run_command(&mut cargo(&["test", "--workspace", "--locked", "--no-run"]))?;
    let others: Vec<String> = test_targets()?
        .into_iter()
        .filter(|t| !FIRST_LANE.contains(&t.as_str()))
        .collect();
    let mut first = vec!["test", "--workspace", "--locked"];
    for name in FIRST_LANE {
        first.extend(["--test", name]);
    }
    let mut second = vec!["test", "--workspace", "--locked", "--lib", "--bins"];
    for name in &others {
        second.extend(["--test", name.as_str()]);
    }
    counting_checks(|| {
        let (one, two) = std::thread::scope(|scope| {
            let one = scope.spawn(|| run_cargo_test(&first, &[]));
            let two = run_cargo_test(&second, &[]);
            (one.join(), two)
        });
        let mut report = one.map_err(|_| anyhow::anyhow!("the first test lane panicked"))??;
        report.add(two?);
        report.add(run_cargo_test(
            &["test", "--workspace", "--locked", "--doc"],
            &[],
        )?);
        Ok(report)
    })
}

/// The names of the workspace's test targets (the files of `tests/` folders).
fn test_targets() -> Result<Vec<String>> {
    let targets = workspace_targets().map_err(|err| anyhow::anyhow!("{err}"))?;
    let mut names: Vec<String> = targets
        .iter()
        .filter(|t| t.is_test)
        .map(|t| t.name.clone())
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Runs `run`, and counts the slow checks it ran and replayed.
fn counting_checks(run: impl FnOnce() -> Result<TestReport>) -> Result<TestReport> {
    let verdicts = target_dir().join("test-verdicts");
    for marks in ["ran", "replayed"] {
        let _ = std::fs::remove_dir_all(verdicts.join(marks));
    }
    let count = |marks: &str| {
        std::fs::read_dir(verdicts.join(marks))
            .map(|entries| entries.count())
            .unwrap_or(0)
    };
    let outcome = run();
    let (ran, replayed) = (count("ran"), count("replayed"));
    outcome.map(|mut report| {
        report.ran = ran;
        report.replayed = replayed;
        report
    })
}

/// One `cargo test`, its output passed through as it comes.
fn run_cargo_test(args: &[&str], env: &[(&str, &str)]) -> Result<TestReport> {
    let mut command = cargo(args);
    command.envs(env.iter().copied());
    eprintln!("\n$ {}", crate::command::show(&command));
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("could not start cargo test")?;
    let (sender, lines) = mpsc::channel();
    let out = child.stdout.take().context("cargo's stdout")?;
    let err = child.stderr.take().context("cargo's stderr")?;
    let forward = |stream: Box<dyn std::io::Read + Send>, to_stdout: bool| {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if to_stdout {
                    println!("{line}");
                } else {
                    eprintln!("{line}");
                }
                let _ = sender.send(line);
            }
        })
    };
    let readers = [forward(Box::new(out), true), forward(Box::new(err), false)];
    drop(sender);
    let mut report = TestReport::default();
    // Cargo names each binary on stderr before it starts, and the binary ends with one
    // `test result:` line on stdout; the two pipes are read apart, so the n-th result is
    // matched with the n-th name, whichever pipe was read first.
    let mut names = std::collections::VecDeque::new();
    let mut results = std::collections::VecDeque::new();
    for line in lines {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Running ") {
            // `Running checker/tests/book.rs (target/debug/deps/book-…)`
            names.push_back(binary_name(rest));
        } else if line.starts_with("Doc-tests ") {
            names.push_back(line.to_owned());
        } else if line.starts_with("test result:")
            && let Some(seconds) = line
                .rsplit("finished in ")
                .next()
                .and_then(|t| t.trim_end_matches('s').parse::<f64>().ok())
        {
            results.push_back(seconds);
        }
        while !names.is_empty() && !results.is_empty() {
            if let (Some(name), Some(seconds)) = (names.pop_front(), results.pop_front()) {
                report.binaries.push((name, seconds));
            }
        }
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = child.wait().context("waiting for cargo test")?;
    if !status.success() {
        report.print();
        anyhow::bail!("`{}` failed ({status})", args.join(" "));
    }
    Ok(report)
}

/// A test binary as `cargo test` announces it (`tests/programs.rs (target/debug/deps/
/// programs-…)`, its path relative to its package), named by its path in the workspace
/// (`checker/programs/tests/programs.rs`), so that two packages' `tests/compile_fail.rs`
/// are told apart. Left as cargo said it when cargo metadata does not know it.
fn binary_name(announced: &str) -> String {
    let (shown, built) = announced.split_once(" (").unwrap_or((announced, ""));
    let (prefix, path) = match shown.split_once(' ') {
        Some((kind, path)) => (format!("{kind} "), path),
        None => (String::new(), shown),
    };
    let stem = Path::new(built.trim_end_matches(')'))
        .file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.rsplit_once('-'))
        .map(|(stem, _hash)| stem.to_owned())
        .unwrap_or_default();
    workspace_targets()
        .ok()
        .and_then(|targets| {
            targets
                .iter()
                .find(|t| t.name.replace('-', "_") == stem && t.in_package == path)
        })
        .map(|t| format!("{prefix}{}", t.in_workspace))
        .unwrap_or_else(|| shown.to_owned())
}

/// A target of a workspace package: its name, whether it is a test target (a file of a
/// `tests/` folder), and its source file's path relative to its package and to the
/// workspace.
struct WorkspaceTarget {
    name: String,
    is_test: bool,
    in_package: String,
    in_workspace: String,
}

/// The workspace's targets, read once from cargo metadata, or why they could not be.
fn workspace_targets() -> std::result::Result<&'static [WorkspaceTarget], &'static str> {
    static TARGETS: std::sync::OnceLock<std::result::Result<Vec<WorkspaceTarget>, String>> =
        std::sync::OnceLock::new();
    TARGETS
        .get_or_init(|| read_workspace_targets().map_err(|err| format!("{err:#}")))
        .as_deref()
        .map_err(String::as_str)
}

fn read_workspace_targets() -> Result<Vec<WorkspaceTarget>> {
    let output = cargo(&["metadata", "--no-deps", "--format-version", "1", "--locked"])
        .output()
        .context("running cargo metadata")?;
    if !output.status.success() {
        anyhow::bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let root = PathBuf::from(metadata["workspace_root"].as_str().unwrap_or_default());
    let mut targets = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        let dir = manifest.parent().unwrap_or(&root);
        for target in package["targets"].as_array().into_iter().flatten() {
            let Some(name) = target["name"].as_str() else {
                continue;
            };
            let source = Path::new(target["src_path"].as_str().unwrap_or_default());
            let relative = |base: &Path| {
                source
                    .strip_prefix(base)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            };
            targets.push(WorkspaceTarget {
                name: name.to_owned(),
                is_test: target["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|k| k == "test")),
                in_package: relative(dir),
                in_workspace: relative(&root),
            });
        }
    }
    Ok(targets)
}

/// `target/test-stages.json`: this run's stages and test binaries, which `cargo xtask bench
/// tests` reads.
fn write_record(
    times: &[(String, Option<Duration>)],
    wall: Duration,
    report: &TestReport,
) -> Result<()> {
    if std::env::var_os(BESIDE_ENV).is_some() {
        // A stage run beside the browser check: the run that started it keeps the record.
        return Ok(());
    }
    let stages: Vec<_> = times
        .iter()
        .map(|(name, took)| serde_json::json!({"stage": name, "seconds": took.map(|t| t.as_secs_f64())}))
        .collect();
    let binaries: Vec<_> = report
        .binaries
        .iter()
        .map(|(name, seconds)| serde_json::json!({"binary": name, "seconds": seconds}))
        .collect();
    let record = serde_json::json!({
        "stages": stages,
        "wall_seconds": wall.as_secs_f64(),
        "cpu_seconds": crate::cpu::used_seconds(),
        "cores": crate::cpu::cores(),
        "test_binaries": binaries,
        "slow_checks_run": report.ran,
        "slow_checks_replayed": report.replayed,
    });
    let path = target_dir().join(RECORD);
    std::fs::write(&path, serde_json::to_string_pretty(&record)?)
        .with_context(|| format!("writing {}", path.display()))
}

/// Set in a stage run beside the browser check.
const BESIDE_ENV: &str = "CANNOT_BE_SENT_BESIDE";

/// Where the last run's stage times are kept.
pub const RECORD: &str = "test-stages.json";

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

#[cfg(test)]
mod tests {
    use super::binary_name;

    #[test]
    fn test_binaries_are_named_by_their_path_in_the_workspace() {
        assert_eq!(
            binary_name("tests/programs.rs (target/debug/deps/programs-cb0772c3b465e4be)"),
            "checker/programs/tests/programs.rs"
        );
        assert_eq!(
            binary_name("tests/compile_fail.rs (target/debug/deps/compile_fail-e6916ae60aec6594)"),
            "proofs/edition2021/tests/compile_fail.rs"
        );
        assert_eq!(
            binary_name("checker/tests/compile_fail.rs (target/debug/deps/compile_fail-287b19)"),
            "checker/tests/compile_fail.rs"
        );
        assert_eq!(
            binary_name("unittests src/main.rs (target/debug/deps/material-004cf41b0c5848dc)"),
            "unittests checker/programs/src/main.rs"
        );
        assert_eq!(
            binary_name(
                "unittests checker/src/bin/cargo-explain-send.rs (target/debug/deps/cargo_explain_send-431f)"
            ),
            "unittests checker/src/bin/cargo-explain-send.rs"
        );
        // Unknown to cargo metadata: as cargo said it.
        assert_eq!(
            binary_name("tests/elsewhere.rs (target/debug/deps/elsewhere-00)"),
            "tests/elsewhere.rs"
        );
    }
}
