//! `cargo xtask bench <what>`: the measurements behind the numbers the project states.
//! Each writes a JSON file under `benchmarks/` with the machine it ran on; rerun them on an
//! idle machine (a compile running beside them changes every number).
//!
//! * `build`: a cold `cargo test` from a fresh clone against one cold `cargo build` of the
//!   same dependency set, a warm `cargo test` with nothing changed, and the size of
//!   `target/` afterwards.
//! * `tests`: the test command's stages, first and second run, and a warm `cargo test`
//!   as a contributor meets it (`bench_tests.rs`).
//! * `workshop`: how long `cargo workshop check` takes against doing the same by hand (a
//!   bare `cargo check` for an attempt that does not compile; `cargo build` and running it
//!   for one that does), and how soon `cargo workshop watch` starts a check after a save.
//! * `explain`: `cargo workshop explain` on single files against a bare `cargo check` of
//!   the same file, and `cargo explain-send` on a cargo project against a bare `cargo check`
//!   of it, with and without an axum handler that needs its recheck.
//! * `run`: Run in the page: how long the book's server takes to answer a Run of an
//!   exercise block (as shipped, so it does not compile, and fixed, so its check passes),
//!   cold (a fresh scratch copy) and warm, from the request to the answer; and how long
//!   `cargo xtask book` takes to build the served book and start serving it.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::command::{cargo, show};

const RUNS: usize = 5;

pub fn run(what: &str, before: Option<&str>) -> Result<()> {
    if before.is_some() && what != "tests" {
        bail!("--before is for `cargo xtask bench tests`");
    }
    let results = match what {
        "build" => build_times()?,
        "tests" => crate::bench_tests::times(before)?,
        "workshop" => workshop_times()?,
        "run" => run_times()?,
        "explain" => explain_times()?,
        "editor" => editor_times()?,
        "tools" => tools_times()?,
        other => bail!(
            "unknown benchmark {other:?}: use `build`, `tests`, `workshop`, `explain`, `editor`, \
             `run` or `tools`"
        ),
    };
    let folder = crate::root().join("benchmarks");
    fs::create_dir_all(&folder)?;
    let file = folder.join(format!("{what}.json"));
    let record = json!({ "machine": machine()?, "results": results });
    fs::write(&file, serde_json::to_string_pretty(&record)? + "\n")
        .with_context(|| format!("writing {}", file.display()))?;
    println!("{}", serde_json::to_string_pretty(&record)?);
    eprintln!("\nWritten to {}", file.display());
    Ok(())
}

/// What the README's first command (or the first `cargo xtask test`) spends on a machine
/// without the pinned mdBook tools: both installed, one after the other, into a scratch
/// folder, exactly as `cargo xtask tools` installs them.
fn tools_times() -> Result<Value> {
    let scratch = std::env::temp_dir().join("cannot-be-sent-bench-tools");
    let _ = fs::remove_dir_all(&scratch);
    let mut install = Command::new(std::env::current_exe()?);
    install
        .arg("tools")
        .current_dir(crate::root())
        .env("CANNOT_BE_SENT_TOOLS", &scratch)
        // `cargo install` builds in a folder of its own, as on a reader's machine.
        .env_remove("CARGO_TARGET_DIR");
    let took = timed(&mut install)?;
    fs::remove_dir_all(&scratch).ok();
    Ok(json!({
        "tools": [
            format!("{} {}", crate::tools::MDBOOK.name, crate::tools::MDBOOK.version),
            format!("{} {}", crate::tools::MDBOOK_ADMONISH.name, crate::tools::MDBOOK_ADMONISH.version),
        ],
        "install_seconds": secs(took),
    }))
}

/// Cold and warm build and test times, from a fresh clone of HEAD.
fn build_times() -> Result<Value> {
    let scratch = std::env::temp_dir().join("cannot-be-sent-bench-build");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)?;
    let clone = scratch.join("clone");
    let mut git = Command::new("git");
    git.args(["clone", "--quiet", "--no-hardlinks"])
        .arg(crate::root())
        .arg(&clone);
    timed(&mut git)?;

    let in_clone = |args: &[&str], target: &Path| {
        let mut command = cargo(args);
        command
            .current_dir(&clone)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        command
    };
    let build_target = scratch.join("target-build");
    let cold_build = timed(&mut in_clone(
        &["build", "--workspace", "--locked"],
        &build_target,
    ))?;
    fs::remove_dir_all(&build_target).ok();

    let test_target = clone.join("target");
    let cold_test = timed(&mut in_clone(
        &["test", "--workspace", "--locked"],
        &test_target,
    ))?;
    let warm_test = timed(&mut in_clone(
        &["test", "--workspace", "--locked"],
        &test_target,
    ))?;
    let size = dir_size(&test_target);
    fs::remove_dir_all(&scratch).ok();

    Ok(json!({
        "cold_build_seconds": secs(cold_build),
        "cold_test_seconds": secs(cold_test),
        "cold_test_over_cold_build": round(cold_test.as_secs_f64() / cold_build.as_secs_f64()),
        "warm_test_seconds": secs(warm_test),
        "target_size_mib_after_cold_test": size / (1024 * 1024),
    }))
}

/// `cargo workshop check` against the same work done by hand, warm; and watch's reaction.
fn workshop_times() -> Result<Value> {
    let root = crate::root();
    let dir = root.join("target/bench-workshop");
    let _ = fs::remove_dir_all(&dir);
    // Build the tool and every dependency first: only warm numbers are compared.
    crate::command::run(&mut cargo(&["build", "--bins", "--locked"]))?;
    let tool = root.join("target/debug/workshop");
    let workshop = |args: &[&str]| {
        let mut command = Command::new(&tool);
        command
            .args(args)
            .arg("--workshop-dir")
            .arg(&dir)
            .current_dir(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    let attempt = dir.join("exercises/oauth-callback.rs");
    let exercise = fs::read_to_string(root.join("exercises/oauth-callback.rs"))?;
    let solution = fs::read_to_string(root.join("solutions/oauth-callback--scoped.rs"))?;
    let in_workshop = |args: &[&str]| {
        let mut command = cargo(args);
        command
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    let bin = "ex-bench-workshop-oauth-callback";

    // Warm everything once: the copy, its build, the check-mode metadata of dependencies.
    let _ = workshop(&["check", "1"]).status();
    let _ = in_workshop(&["check", "--bin", bin]).status();

    // Each run touches the file, as a save does, so the attempt itself is compiled again.
    let measure = |text: &str, command: &mut dyn FnMut() -> Command| -> Result<Duration> {
        median(RUNS, || {
            fs::write(&attempt, text)?;
            timed_quiet(&mut command())
        })
    };
    let check_failing = measure(&exercise, &mut || workshop(&["check", "1"]))?;
    let bare_check = measure(&exercise, &mut || in_workshop(&["check", "--bin", bin]))?;
    let check_solved = measure(&solution, &mut || workshop(&["check", "1"]))?;
    let by_hand = measure(&solution, &mut || {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!(
                "cargo build --quiet --bin {bin} && {}",
                root.join("target/debug").join(bin).display()
            ))
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    })?;
    // Unsolved again, so that watch follows exercise 01.
    fs::write(&attempt, &exercise)?;
    let watch = watch_latency(&tool, &dir, &root, &attempt, &solution)?;

    Ok(json!({
        "runs_each": RUNS,
        "failing_attempt": {
            "cargo_workshop_check_seconds": secs(check_failing),
            "bare_cargo_check_seconds": secs(bare_check),
            "ratio": round(check_failing.as_secs_f64() / bare_check.as_secs_f64()),
        },
        "solved_attempt": {
            "cargo_workshop_check_seconds": secs(check_solved),
            "cargo_build_and_run_by_hand_seconds": secs(by_hand),
            "ratio": round(check_solved.as_secs_f64() / by_hand.as_secs_f64()),
        },
        "watch_save_to_check_start_ms": watch.iter().map(|d| d.as_millis() as u64).collect::<Vec<_>>(),
    }))
}

/// explain on single files and on projects, against the bare `cargo check` it is built on.
fn explain_times() -> Result<Value> {
    let root = crate::root();
    crate::command::run(&mut cargo(&["build", "--bins", "--locked"]))?;
    // `cargo explain-send` as the README installs it (`cargo install --path .`): optimized.
    crate::command::run(&mut cargo(&[
        "build",
        "--release",
        "--locked",
        "--bin",
        "cargo-explain-send",
    ]))?;
    let dir = root.join("target/bench-explain");
    let _ = fs::remove_dir_all(&dir);
    let tool = root.join("target/debug/workshop");

    // Single files of the corpus: one whose error names its value, one axum handler whose
    // error needs the recheck.
    let mut files = Vec::new();
    for name in ["std-mutex-in-helper", "openai-handler-dyn-error"] {
        let file = root.join(format!("checker/tests/explain-corpus/{name}.rs"));
        let explain = || {
            let mut command = Command::new(&tool);
            command
                .args(["explain", "--json"])
                .arg(&file)
                .arg("--workshop-dir")
                .arg(&dir)
                .current_dir(&root);
            quiet(&mut command);
            command
        };
        // Warm: the copy, its package, the dependencies' metadata.
        let _ = explain().status();
        let bare = || {
            let mut command = cargo(&["check", "--bin", "ex-bench-explain-explain"]);
            command.current_dir(&dir);
            quiet(&mut command);
            command
        };
        let copy = dir.join("explain/main.rs");
        let source = fs::read_to_string(&file)?;
        let explained = median(RUNS, || timed_quiet(&mut explain()))?;
        let checked = median(RUNS, || {
            fs::write(&copy, &source)?;
            timed_quiet(&mut bare())
        })?;
        files.push(json!({
            "file": format!("checker/tests/explain-corpus/{name}.rs"),
            "explain_seconds": secs(explained),
            "bare_cargo_check_seconds": secs(checked),
            "ratio": round(explained.as_secs_f64() / checked.as_secs_f64()),
        }));
    }

    // The test projects of real layouts, each with one of its mistakes made.
    let mut projects = Vec::new();
    for (project, mistake, case) in [
        (
            "notes-workspace",
            "spawned-task-in-the-server-keeps-rc",
            "workspace_error_names_its_value",
        ),
        (
            "notes-workspace",
            "store-holds-guard-across-a-round-trip",
            "workspace_handler_needs_recheck",
        ),
        (
            "axum-service",
            "handler-holds-cache-guard",
            "service_handler_needs_recheck",
        ),
    ] {
        let copy = mistaken_copy(&dir, project, mistake, true)?;
        let edited = edited_file(project, mistake)?;
        let touch = || -> Result<()> {
            let path = copy.join(&edited);
            let text = fs::read(&path)?;
            Ok(fs::write(path, text)?)
        };
        let _ = explain_send_in(&copy, true).status();
        let explained = median(RUNS, || {
            touch()?;
            timed_quiet(&mut explain_send_in(&copy, true))
        })?;
        let checked = median(RUNS, || {
            touch()?;
            timed_quiet(&mut bare_check_in(&copy))
        })?;
        projects.push(json!({
            "case": case,
            "project": project,
            "mistake": mistake,
            "cargo_explain_send_seconds": secs(explained),
            "bare_cargo_check_seconds": secs(checked),
            "ratio": round(explained.as_secs_f64() / checked.as_secs_f64()),
        }));
    }
    // A project without a Cargo.lock: its second run, against a warm check of the same
    // project with a lockfile (a mistake whose error names its value: no recheck).
    let locked = mistaken_copy(&dir, "axum-service", "sweeper-task-holds-guard", true)?;
    let lockless = dir.join("lockless/axum-service");
    let _ = fs::remove_dir_all(&lockless);
    copy_dir(&locked, &lockless)?;
    let _ = fs::remove_file(lockless.join("Cargo.lock"));
    let _ = fs::remove_dir_all(lockless.join("target"));
    let cache = dir.join("lockless-cache");
    let lockless_run = || {
        let mut command = explain_send_in(&lockless, false);
        command.env("CANNOT_BE_SENT_CACHE", &cache);
        command
    };
    let _ = lockless_run().status();
    let explained = median(RUNS, || timed_quiet(&mut lockless_run()))?;
    let _ = bare_check_in(&locked).status();
    let checked = median(RUNS, || timed_quiet(&mut bare_check_in(&locked)))?;
    projects.push(json!({
        "case": "lockless_second_run",
        "project": "axum-service",
        "mistake": "sweeper-task-holds-guard",
        "cargo_explain_send_seconds": secs(explained),
        "bare_cargo_check_seconds": secs(checked),
        "ratio": round(explained.as_secs_f64() / checked.as_secs_f64()),
    }));
    Ok(json!({ "runs_each": RUNS, "single_files": files, "projects": projects }))
}

fn quiet(command: &mut Command) {
    command.stdout(Stdio::null()).stderr(Stdio::null());
}

/// `cargo explain-send` in `dir`, building into the root's target (or the project's own).
fn explain_send_in(dir: &Path, shared_target: bool) -> Command {
    let root = crate::root();
    let mut command = Command::new(root.join("target/release/cargo-explain-send"));
    command.args(["explain-send", "--json"]).current_dir(dir);
    if shared_target {
        command.env("CARGO_TARGET_DIR", bench_target());
    } else {
        command.env_remove("CARGO_TARGET_DIR");
    }
    quiet(&mut command);
    command
}

/// The benchmark's own target folder: its copies of the test projects must not share
/// builds with the tests' copies (cargo names a path package's build by its place inside
/// the workspace, not by where the workspace is).
fn bench_target() -> PathBuf {
    crate::root().join("target/bench-explain-target")
}

fn bare_check_in(dir: &Path) -> Command {
    let mut command = cargo(&["check", "--locked"]);
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", bench_target());
    quiet(&mut command);
    command
}

/// The mistakes file of a test project.
fn mistakes_of(project: &str) -> Result<Vec<toml::Value>> {
    let path = crate::root().join(format!(
        "checker/tests/explain-projects/{project}/mistakes.toml"
    ));
    let table: toml::Table = fs::read_to_string(&path)?.parse()?;
    Ok(table
        .get("mistake")
        .and_then(|m| m.as_array())
        .cloned()
        .unwrap_or_default())
}

fn mistake_of(project: &str, name: &str) -> Result<toml::Value> {
    mistakes_of(project)?
        .into_iter()
        .find(|m| m.get("name").and_then(|n| n.as_str()) == Some(name))
        .with_context(|| format!("{project} has no mistake {name}"))
}

/// The first file a mistake edits.
fn edited_file(project: &str, name: &str) -> Result<String> {
    let mistake = mistake_of(project, name)?;
    mistake
        .get("edit")
        .and_then(|e| e.as_array())
        .and_then(|e| e.first())
        .and_then(|e| e.get("file"))
        .and_then(|f| f.as_str())
        .map(str::to_owned)
        .context("a mistake edits a file")
}

/// A copy of a test project under `dir` with one mistake made, the pinned toolchain and,
/// when `lock` is set, a lockfile made offline.
fn mistaken_copy(dir: &Path, project: &str, name: &str, lock: bool) -> Result<PathBuf> {
    let root = crate::root();
    let copy = dir.join(project);
    let _ = fs::remove_dir_all(&copy);
    copy_dir(
        &root.join(format!("checker/tests/explain-projects/{project}")),
        &copy,
    )?;
    fs::copy(
        root.join("rust-toolchain.toml"),
        copy.join("rust-toolchain.toml"),
    )?;
    let mistake = mistake_of(project, name)?;
    for edit in mistake
        .get("edit")
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default()
    {
        let field = |key: &str| edit.get(key).and_then(|v| v.as_str()).unwrap_or_default();
        let path = copy.join(field("file"));
        let text = fs::read_to_string(&path)?;
        fs::write(&path, text.replacen(field("find"), field("replace"), 1))?;
    }
    if lock {
        // The material's versions, fitted to the project offline (as the tests do).
        fs::copy(root.join("Cargo.lock"), copy.join("Cargo.lock"))?;
        let mut fit = cargo(&["update", "--workspace", "--offline", "--quiet"]);
        fit.current_dir(&copy).stdout(Stdio::null());
        crate::command::run(&mut fit)?;
    }
    Ok(copy)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()))?;
        } else {
            fs::copy(&path, to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Save to diagnostics in rust-analyzer, with `cargo check` and with `cargo explain-send`
/// as its check command (the ignored test in checker/tests/editor.rs measures it).
fn editor_times() -> Result<Value> {
    let out = crate::root().join("target/editor-timings.json");
    let mut command = cargo(&[
        "test",
        "--test",
        "editor",
        "save_to_diagnostics_timings",
        "--",
        "--ignored",
        "--nocapture",
    ]);
    command.env("EDITOR_TIMINGS_OUT", &out);
    crate::command::run(&mut command)?;
    Ok(serde_json::from_str(&fs::read_to_string(&out)?)?)
}

/// Run in the page, measured through the book's server as a page uses it.
fn run_times() -> Result<Value> {
    let root = crate::root();
    let tools = crate::tools::ensure_all()?;
    let server = crate::book::build_server()?;
    // What `cargo xtask book` does before it serves: build the served book.
    let served = root.join("target/bench-run/book");
    let _ = fs::remove_dir_all(&served);
    let book_build = timed(
        crate::book::served_mdbook(&tools)?
            .arg("build")
            .arg("-d")
            .arg(&served),
    )?;
    // A scratch copy of a new name: its programs were never built, so the first Run is cold
    // (the shared dependencies are built already, as after `cargo xtask test`).
    let name = format!("cold-{}", std::process::id());
    let scratch = root.join("target/bench-run").join(&name);

    let started = Instant::now();
    let mut child = Command::new(&server)
        .args(["--port", "0", "--book"])
        .arg(&served)
        .arg("--scratch")
        .arg(&scratch)
        .current_dir(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the book's server")?;
    let mut lines = BufReader::new(child.stdout.take().context("stdout is piped")?).lines();
    let first = lines.next().context("the server said nothing")??;
    let listening = started.elapsed();
    // Keep reading its log, so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let port: u16 = first
        .rsplit(':')
        .next()
        .and_then(|rest| {
            rest.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .with_context(|| format!("no port in {first:?}"))?;
    let measured = (|| -> Result<Value> {
        let page = http(port, "GET", "/index.html", &[], "")?;
        let secret = page
            .split("name=\"cannot-be-sent-run\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .context("the page carries no secret")?
            .to_owned();
        let region = |file: &str| -> Result<String> {
            let text = fs::read_to_string(root.join(file))?;
            let (_, rest) = text
                .split_once("// ANCHOR: handler\n")
                .context("no handler region")?;
            let (region, _) = rest
                .split_once("// ANCHOR_END: handler")
                .context("no end")?;
            Ok(region.to_owned())
        };
        let request = |file: &str| -> Result<String> {
            Ok(json!({
                "code": region(file)?,
                "origin": "exercises/oauth-callback.rs#handler",
            })
            .to_string())
        };
        let failing = request("exercises/oauth-callback.rs")?;
        let passing = request("solutions/oauth-callback--scoped.rs")?;
        let origin = format!("http://127.0.0.1:{port}");
        let headers = [
            ("origin", origin.as_str()),
            ("content-type", "application/json"),
            ("x-run-secret", secret.as_str()),
        ];
        let run = |body: &str, wanted: &str| -> Result<Duration> {
            let started = Instant::now();
            let answer = http(port, "POST", "/__run", &headers, body)?;
            let took = started.elapsed();
            if !answer.contains(&format!("\"ending\":\"{wanted}\"")) {
                bail!(
                    "expected {wanted}, got: {}",
                    &answer[..answer.len().min(400)]
                );
            }
            Ok(took)
        };
        let cold_failing = run(&failing, "does-not-compile")?;
        let cold_passing = run(&passing, "check-passed")?;
        let warm_failing = all_runs(RUNS, || run(&failing, "does-not-compile"))?;
        let warm_passing = all_runs(RUNS, || run(&passing, "check-passed"))?;
        // The same check through `cargo workshop check`, in the same conditions.
        crate::command::run(&mut cargo(&["build", "--quiet", "--bin", "workshop"]))?;
        let dir = root.join("target/bench-run/workshop");
        let attempt = dir.join("exercises/oauth-callback.rs");
        let solution = fs::read_to_string(root.join("solutions/oauth-callback--scoped.rs"))?;
        let check = || {
            let mut command = Command::new(root.join("target/debug/workshop"));
            command
                .args(["check", "1", "--workshop-dir"])
                .arg(&dir)
                .current_dir(&root)
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            command
        };
        let _ = check().status();
        let workshop_check = median(RUNS, || {
            fs::write(&attempt, &solution)?;
            timed_quiet(&mut check())
        })?;
        Ok(json!({
            "runs_each": RUNS,
            "exercise": "oauth-callback, its handler block",
            "cold_does_not_compile_seconds": secs(cold_failing),
            "cold_check_passes_seconds": secs(cold_passing),
            "warm_does_not_compile_seconds": secs(warm_failing[RUNS / 2]),
            "warm_check_passes_seconds": secs(warm_passing[RUNS / 2]),
            // The fastest of the runs: what the machine can do when the others let it.
            "warm_does_not_compile_best_seconds": secs(warm_failing[0]),
            "warm_check_passes_best_seconds": secs(warm_passing[0]),
            "cargo_workshop_check_passes_seconds_same_conditions": secs(workshop_check),
            "served_book_build_seconds": secs(book_build),
            "server_listening_seconds": secs(listening),
        }))
    })();
    let _ = child.kill();
    let _ = child.wait();
    // The cold copy's programs are not needed again.
    let _ = fs::remove_dir_all(&scratch);
    let prefix = format!("ex-{name}-");
    let debug = root.join("target/debug");
    for dir in [debug.clone(), debug.join("deps")] {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let file = entry.file_name().to_string_lossy().replace('_', "-");
            if file.starts_with(&prefix) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    measured
}

/// One HTTP/1.1 request to the book's server on 127.0.0.1:`port`; the answer's body, if
/// the status is 200.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<String> {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(request.as_bytes())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    if !head.starts_with("HTTP/1.1 200") {
        bail!(
            "{method} {path}: {}",
            head.lines().next().unwrap_or_default()
        );
    }
    Ok(body.to_owned())
}

/// Starts `watch`, saves the attempt a few times, and measures from each save to the line
/// that says a check has started.
fn watch_latency(
    tool: &Path,
    dir: &Path,
    root: &Path,
    attempt: &Path,
    text: &str,
) -> Result<Vec<Duration>> {
    let mut child = Command::new(tool)
        .args(["watch", "--workshop-dir"])
        .arg(dir)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting cargo workshop watch")?;
    let stdout = child.stdout.take().context("stdout is piped")?;
    let (lines, inbox) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send((line, Instant::now())).is_err() {
                return;
            }
        }
    });
    let wait_for = |needle: &str| -> Result<Instant> {
        loop {
            let (line, at) = inbox
                .recv_timeout(Duration::from_secs(120))
                .context("watch stopped answering")?;
            if line.contains(needle) {
                return Ok(at);
            }
        }
    };
    wait_for("save to re-check")?;
    let mut latencies = Vec::new();
    for run in 0..RUNS {
        std::thread::sleep(Duration::from_millis(300));
        while inbox.try_recv().is_ok() {}
        let saved = Instant::now();
        // A different text each time: watch ignores a save that changes nothing.
        fs::write(attempt, format!("// save {run}\n{text}"))?;
        let started = wait_for("saved; checking")?;
        latencies.push(started.duration_since(saved));
        wait_for("save to re-check")?;
    }
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"q\n");
    }
    let _ = child.wait();
    Ok(latencies)
}

pub(crate) fn timed(command: &mut Command) -> Result<Duration> {
    eprintln!("$ {}", show(command));
    let started = Instant::now();
    let status = command.status().with_context(|| show(command))?;
    if !status.success() {
        bail!("`{}` failed", show(command));
    }
    Ok(started.elapsed())
}

/// Times a command whose failure is expected (a check of broken code).
fn timed_quiet(command: &mut Command) -> Result<Duration> {
    let started = Instant::now();
    command.status().with_context(|| show(command))?;
    Ok(started.elapsed())
}

fn median(runs: usize, once: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let all = all_runs(runs, once)?;
    Ok(all[all.len() / 2])
}

/// Every run's time, fastest first.
fn all_runs(runs: usize, mut once: impl FnMut() -> Result<Duration>) -> Result<Vec<Duration>> {
    let mut all = (0..runs).map(|_| once()).collect::<Result<Vec<_>>>()?;
    all.sort();
    Ok(all)
}

/// Bytes on disk below `dir`, counting a hard-linked file once: cargo links each program
/// into two places, and `du` counts it once too.
fn dir_size(dir: &Path) -> u64 {
    use std::collections::HashSet;
    use std::os::unix::fs::MetadataExt;

    let mut seen = HashSet::new();
    let mut total = 0;
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(path) = stack.pop() {
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            stack.extend(
                fs::read_dir(&path)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path()),
            );
        } else if seen.insert((meta.dev(), meta.ino())) {
            total += meta.len();
        }
    }
    total
}

/// Cores, CPU model, rustc version and date: where the numbers come from.
pub fn machine() -> Result<Value> {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let rustc = Command::new("rustc")
        .arg("--version")
        .current_dir(crate::root())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    Ok(json!({
        "cores": cores,
        "cpu": cpu,
        "rustc": rustc,
        "date": date,
        "load_average_at_start": load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    }))
}

pub(crate) fn secs(duration: Duration) -> f64 {
    round(duration.as_secs_f64())
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
