//! `cargo explain-send` on projects laid out as real services are: an axum app with its
//! handlers, routes, state and middleware in modules of their own; a workspace whose
//! libraries hold the model, the errors and the handlers that its server binary routes; a
//! tokio library with binaries and integration tests. Each lives in
//! `checker/tests/explain-projects/<name>/`, with a `mistakes.toml` of mistakes real
//! projects make. Each mistake is one test: made alone in a copy of the project, checked
//! with the tool as a developer runs it, and held to what the file expects (kind, shape,
//! value, culprit, file and line, the function whose future it spoils, the field to
//! change). The copy must be byte-identical afterwards: the tool never writes into a
//! project.
//!
//! The copies build into the root's `target/`, so the dependencies are built once for all.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use checker::material::verdicts::{Inputs, replay_or_run};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn projects_dir() -> PathBuf {
    root().join("checker/tests/explain-projects")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mistakes {
    mistake: Vec<Mistake>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mistake {
    name: String,
    #[allow(dead_code)]
    about: String,
    /// Arguments for `cargo explain-send`, after `--json`.
    #[serde(default)]
    args: Vec<String>,
    /// The folder to run it in, relative to the project (a member's, say).
    #[serde(default)]
    run_in: Option<String>,
    edit: Vec<Edit>,
    #[serde(default)]
    expect: Vec<Expect>,
    /// How many diagnoses there are in all, when the expected ones are the only right ones.
    #[serde(default)]
    diagnoses: Option<usize>,
    #[serde(default)]
    outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    find: String,
    replace: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    kind: String,
    shape: String,
    #[serde(default)]
    value: Option<String>,
    /// Found in the culprit.
    #[serde(default)]
    culprit: Option<String>,
    file: String,
    /// Text on the value's line, in the changed file.
    line: String,
    #[serde(default)]
    future_of: Option<String>,
    /// The field of the reader's own type to change.
    #[serde(default)]
    field: Option<String>,
    /// Found in the fix.
    #[serde(default)]
    fix: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Outcome {
    diagnoses: usize,
    /// Whether it compiles (exit code 0) or fails for another reason (3).
    #[serde(default)]
    compiles: bool,
    /// Found in one of the notes.
    #[serde(default)]
    note: Option<String>,
}

/// One project at a time: its copy lives at a fixed path, so that cargo reuses the build
/// of the members a mistake does not touch.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn main() {
    let mut arguments = Arguments::from_args();
    arguments.test_threads = Some(1);
    let mut trials = Vec::new();
    let mut names: Vec<PathBuf> = fs::read_dir(projects_dir())
        .expect("the projects are there")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("mistakes.toml").is_file())
        .collect();
    names.sort();
    for project in names {
        let name = project
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let pristine = project.clone();
        let inputs = project_inputs(&pristine);
        trials.push(Trial::test(format!("{name}::pristine_compiles"), {
            let pristine = pristine.clone();
            let inputs = inputs.clone();
            let check = format!("explain_projects::{name}::pristine_compiles");
            move || replay_or_run(&check, &inputs, || pristine_compiles(&pristine))
        }));
        // blind.toml: mistakes written by someone who had not run the tool on them.
        for (file, prefix) in [("mistakes.toml", ""), ("blind.toml", "blind::")] {
            let path = project.join(file);
            if !path.is_file() {
                continue;
            }
            let text = fs::read_to_string(&path).expect("the mistakes read");
            let mistakes: Mistakes =
                toml::from_str(&text).unwrap_or_else(|err| panic!("{name}/{file}: {err}"));
            for mistake in mistakes.mistake {
                let pristine = pristine.clone();
                let inputs = inputs.clone();
                let trial = format!("{name}::{prefix}{}", mistake.name);
                let check = format!("explain_projects::{trial}");
                trials.push(Trial::test(trial, move || {
                    replay_or_run(&check, &inputs, || check_mistake(&pristine, &mistake))
                }));
            }
        }
    }
    // The message stream an editor reads: cargo's own, with the diagnoses added.
    for (project, mistake) in [
        ("axum-service", "handler-holds-cache-guard"),
        ("notes-workspace", "store-holds-guard-across-a-round-trip"),
        ("tokio-queue", "worker-step-keeps-rc"),
    ] {
        let pristine = projects_dir().join(project);
        let text = fs::read_to_string(pristine.join("mistakes.toml")).expect("mistakes");
        let mistakes: Mistakes = toml::from_str(&text).expect("mistakes parse");
        let Some(mistake) = mistakes.mistake.into_iter().find(|m| m.name == mistake) else {
            panic!("{project} has no mistake {mistake}");
        };
        let inputs = project_inputs(&pristine);
        let trial = format!("{project}::message-stream::{}", mistake.name);
        let check = format!("explain_projects::{trial}");
        trials.push(Trial::test(trial, move || {
            replay_or_run(&check, &inputs, || check_stream(&pristine, &mistake))
        }));
    }
    libtest_mimic::run(&arguments, trials).exit();
}

/// What a project's checks read: the project with its mistakes, and the tool.
fn project_inputs(pristine: &Path) -> Inputs {
    let relative = pristine
        .strip_prefix(root())
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    Inputs::new(&root())
        .path(&relative)
        .program(Path::new(env!("CARGO_BIN_EXE_cargo-explain-send")))
}

/// Where a project's copy is worked on: always the same folder (editor.rs uses it too),
/// since cargo names a path package's build by its path inside the workspace, and copies at
/// two places would share one build in the one target folder.
fn work_dir(pristine: &Path) -> PathBuf {
    let name = pristine.file_name().expect("a name");
    std::env::temp_dir()
        .join("explain-send-projects")
        .join(name)
}

/// Makes the copy the pristine project again (writing only what differs), with the
/// pinned toolchain and a lockfile made offline.
fn fresh_copy(pristine: &Path) -> Result<PathBuf, Failed> {
    let dir = work_dir(pristine);
    sync(pristine, &dir)?;
    fs::copy(
        root().join("rust-toolchain.toml"),
        dir.join("rust-toolchain.toml"),
    )
    .map_err(|e| format!("toolchain file: {e}"))?;
    Ok(dir)
}

fn sync(from: &Path, to: &Path) -> Result<(), Failed> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let mut present = Vec::new();
    for entry in fs::read_dir(from).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "mistakes.toml" || name == "blind.toml" {
            continue;
        }
        present.push(name.clone());
        let target = to.join(&name);
        if path.is_dir() {
            sync(&path, &target)?;
        } else {
            let bytes = fs::read(&path).map_err(|e| e.to_string())?;
            if fs::read(&target).ok().as_deref() != Some(&bytes[..]) {
                fs::write(&target, bytes).map_err(|e| e.to_string())?;
            }
        }
    }
    for entry in fs::read_dir(to).map_err(|e| e.to_string())?.flatten() {
        let name = entry.file_name();
        let ours = ["target", "Cargo.lock", "rust-toolchain.toml"]
            .iter()
            .any(|n| name == *n);
        if !ours && !present.contains(&name) {
            let path = entry.path();
            let _ = if path.is_dir() {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
        }
    }
    Ok(())
}

fn lock(dir: &Path) -> Result<(), Failed> {
    checker::material::cargo_build::lock_like_material(&root(), dir)
        .map_err(|e| Failed::from(format!("{e:#}")))
}

/// Runs the tool as a developer would, in `dir`.
fn explain_send(dir: &Path, args: &[String]) -> Result<(Option<i32>, Value, String), Failed> {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-explain-send"))
        .arg("explain-send")
        .arg("--json")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target"))
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("the subcommand runs: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_str(&stdout)
        .map_err(|err| format!("--json prints JSON ({err}): {stdout}\n{stderr}"))?;
    Ok((output.status.code(), json, stderr))
}

/// Every file of a project but its build output, with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap_or_default());
            }
        }
    }
    files
}

fn pristine_compiles(pristine: &Path) -> Result<(), Failed> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = fresh_copy(pristine)?;
    lock(&dir)?;
    let (code, json, stderr) = explain_send(&dir, &["--workspace".to_owned()])?;
    if code == Some(0) && json["compiles"] == true {
        Ok(())
    } else {
        Err(format!("the project as written must compile: {json:#}\n{stderr}").into())
    }
}

fn check_mistake(pristine: &Path, mistake: &Mistake) -> Result<(), Failed> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = fresh_copy(pristine)?;
    for edit in &mistake.edit {
        let path = dir.join(&edit.file);
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", edit.file))?;
        let found = text.matches(edit.find.as_str()).count();
        if found != 1 {
            return Err(format!(
                "{}: the text to replace is there {found} times, not once:\n{}",
                edit.file, edit.find
            )
            .into());
        }
        fs::write(&path, text.replacen(&edit.find, &edit.replace, 1)).map_err(|e| e.to_string())?;
    }
    lock(&dir)?;
    let run_in = mistake
        .run_in
        .as_deref()
        .map_or(dir.clone(), |sub| dir.join(sub));
    let before = snapshot(&dir);
    let (code, json, stderr) = explain_send(&run_in, &mistake.args)?;
    let after = snapshot(&dir);
    if before != after {
        let changed: Vec<_> = after
            .keys()
            .filter(|k| before.get(*k) != after.get(*k))
            .chain(before.keys().filter(|k| !after.contains_key(*k)))
            .collect();
        return Err(format!("the project was changed: {changed:?}").into());
    }
    let diagnoses = json["diagnoses"].as_array().cloned().unwrap_or_default();
    let show = || format!("{json:#}\n--- stderr ---\n{stderr}");
    for expect in &mistake.expect {
        let text = fs::read_to_string(dir.join(&expect.file))
            .map_err(|e| format!("{}: {e}", expect.file))?;
        let line = text
            .lines()
            .position(|l| l.contains(&expect.line))
            .map(|i| i + 1)
            .ok_or_else(|| format!("{}: no line has {:?}", expect.file, expect.line))?;
        let matches = |d: &Value| {
            let has = |key: &str, want: &Option<String>, exact: bool| match want {
                None => true,
                Some(want) => d[key].as_str().is_some_and(|v| {
                    if exact {
                        v == want
                    } else {
                        v.contains(want.as_str())
                    }
                }),
            };
            d["kind"] == expect.kind.as_str()
                && d["shape"] == expect.shape.as_str()
                && d["file"] == expect.file.as_str()
                && d["line"].as_u64() == Some(line as u64)
                && has("value", &expect.value, true)
                && has("culprit", &expect.culprit, false)
                && has("fix", &expect.fix, false)
                && expect.future_of.as_ref().is_none_or(|f| {
                    d["future_of"]["name"]
                        .as_str()
                        .is_some_and(|n| n.ends_with(f.as_str()))
                })
                && expect
                    .field
                    .as_ref()
                    .is_none_or(|f| d["field"]["field"] == f.as_str())
        };
        if !diagnoses.iter().any(matches) {
            return Err(format!(
                "expected {} / {} with value {:?} at {}:{line} (future of {:?}, field {:?}), \
                 found:\n{}",
                expect.kind,
                expect.shape,
                expect.value,
                expect.file,
                expect.future_of,
                expect.field,
                show()
            )
            .into());
        }
    }
    if let Some(count) = mistake.diagnoses
        && diagnoses.len() != count
    {
        return Err(format!(
            "expected {count} diagnoses in all, found {}:\n{}",
            diagnoses.len(),
            show()
        )
        .into());
    }
    match &mistake.outcome {
        Some(outcome) => {
            if diagnoses.len() != outcome.diagnoses {
                return Err(format!(
                    "expected {} diagnoses, found {}:\n{}",
                    outcome.diagnoses,
                    diagnoses.len(),
                    show()
                )
                .into());
            }
            let wanted_code = if outcome.compiles { 0 } else { 3 };
            if code != Some(wanted_code) || json["compiles"] != outcome.compiles {
                return Err(format!(
                    "expected exit code {wanted_code}, got {code:?}:\n{}",
                    show()
                )
                .into());
            }
            if let Some(note) = &outcome.note {
                let notes = json["notes"].as_array().cloned().unwrap_or_default();
                if !notes
                    .iter()
                    .any(|n| n.as_str().is_some_and(|n| n.contains(note.as_str())))
                {
                    return Err(format!("expected a note with {note:?}:\n{}", show()).into());
                }
            }
        }
        None => {
            if mistake.expect.is_empty() {
                return Err("a mistake must expect diagnoses or an outcome".into());
            }
            if code != Some(1) {
                return Err(format!("expected exit code 1, got {code:?}:\n{}", show()).into());
            }
        }
    }
    Ok(())
}

/// `--message-format=json` prints what `cargo check` prints, in the same order and with the
/// same exit code, but that the diagnostics it explains gain `explain:` children (with
/// spans in the user's files) and rendered lines; nothing names a temporary copy.
fn check_stream(pristine: &Path, mistake: &Mistake) -> Result<(), Failed> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = fresh_copy(pristine)?;
    for edit in &mistake.edit {
        let path = dir.join(&edit.file);
        let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
        fs::write(&path, text.replacen(&edit.find, &edit.replace, 1)).map_err(|e| e.to_string())?;
    }
    lock(&dir)?;
    let run = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", root().join("target"))
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .map_err(|e| format!("{program}: {e}"))
    };
    let format = "--message-format=json-diagnostic-rendered-ansi";
    let cargo = run("cargo", &["check", "--workspace", "--locked", format])?;
    let ours = run(
        env!("CARGO_BIN_EXE_cargo-explain-send"),
        &["explain-send", "--workspace", format],
    )?;
    if cargo.status.code() != ours.status.code() {
        return Err(format!(
            "exit codes differ: cargo {:?}, explain-send {:?}",
            cargo.status.code(),
            ours.status.code()
        )
        .into());
    }
    let parse = |bytes: &[u8]| -> Result<Vec<Value>, Failed> {
        without_long_type_numbers(&String::from_utf8_lossy(bytes))
            .lines()
            .map(|l| serde_json::from_str(l).map_err(|e| Failed::from(format!("{e}: {l}"))))
            .collect()
    };
    let theirs = parse(&cargo.stdout)?;
    let mine = parse(&ours.stdout)?;
    let messages = |list: &[Value]| -> Vec<String> {
        list.iter()
            .filter(|m| m["reason"] == "compiler-message")
            .map(|m| {
                m["message"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    let mut expected = messages(&theirs);
    let mut found = messages(&mine);
    // Those that waited for a recheck come later: the same set, not the same order.
    expected.sort();
    found.sort();
    if expected != found {
        return Err(format!("other diagnostics: {expected:#?}\nvs {found:#?}").into());
    }
    if mine.last().map(|m| &m["reason"]) != Some(&Value::from("build-finished")) {
        return Err("build-finished is not last".into());
    }
    let text = String::from_utf8_lossy(&ours.stdout);
    if text.contains("cargo-explain-send-") {
        return Err("a temporary copy's path leaked into the messages".into());
    }
    let mut explained = 0;
    for message in mine.iter().filter(|m| m["reason"] == "compiler-message") {
        let original = theirs
            .iter()
            .find(|t| {
                t["message"]["message"] == message["message"]["message"]
                    && t["message"]["spans"] == message["message"]["spans"]
            })
            .ok_or("a message cargo did not print")?;
        let children = message["message"]["children"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let before = original["message"]["children"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if children[..before.len().min(children.len())] != before[..] {
            return Err("the compiler's own children were changed".into());
        }
        let added = &children[before.len()..];
        if added.is_empty() {
            if message != original {
                return Err("a message without a diagnosis was changed".into());
            }
            continue;
        }
        explained += 1;
        for child in added {
            let text = child["message"].as_str().unwrap_or_default();
            if !text.starts_with("explain: ") || child["level"] != "help" {
                return Err(format!("an added child is not an explain help: {child}").into());
            }
            for span in child["spans"].as_array().into_iter().flatten() {
                let file = span["file_name"].as_str().unwrap_or_default();
                if !dir.join(file).is_file() {
                    return Err(format!("a span names no file of the project: {file}").into());
                }
            }
        }
        let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
        if !rendered.contains("= explain: ") || !rendered.contains("= fix: ") {
            return Err(format!("rendered has no diagnosis:\n{rendered}").into());
        }
    }
    if explained == 0 {
        return Err("no message carries a diagnosis".into());
    }
    Ok(())
}

/// rustc names the file it writes a long type to with a number of its own each time.
fn without_long_type_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("long-type-") {
        let (before, after) = rest.split_at(at + "long-type-".len());
        out.push_str(before);
        out.push('N');
        rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}
