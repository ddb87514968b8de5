//! Explaining a reader's own cargo project: `cargo explain-send` in any project, and
//! `cargo workshop explain FOLDER` in the workshop. It runs `cargo check` the way the
//! developer would (their toolchain, their dependencies, their options), diagnoses what the
//! compiler said, and, for each axum handler whose `Handler<_, _>` error names no value,
//! checks a copy of the project once more with `#[axum::debug_handler]` on those handlers.
//!
//! The project is never modified: cargo runs with `--locked`, so it cannot rewrite
//! `Cargo.lock`; a project without a `Cargo.lock` is checked in a copy; the copies live in
//! the system's temporary folder and are removed afterwards. Only cargo's own build cache
//! (the project's target folder) is written, as any `cargo check` does.
//!
//! This room may use `explain` (the diagnoses) and `harness` (running a command under a
//! time limit).

pub mod copy;

use std::collections::BTreeMap;
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use cargo_metadata::Message;
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel};
use serde::Serialize;

use crate::explain::{self, Diagnosis};
use crate::harness::run::capture;
use copy::Scratch;

/// How long one `cargo check` may take before it is stopped.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(600);

/// What to check, and how.
#[derive(Debug, Clone)]
pub struct Request {
    /// The folder to start from (cargo looks for `Cargo.toml` here and above).
    pub dir: PathBuf,
    /// `--manifest-path`, if given.
    pub manifest_path: Option<PathBuf>,
    /// Options passed on to `cargo check`: `-p`, `--bin`, `--features`, `--all-targets`…
    pub cargo_args: Vec<String>,
    pub limit: Duration,
}

/// What the compiler said, and what it means.
#[derive(Debug, Serialize)]
pub struct Explained {
    pub diagnoses: Vec<Diagnosis>,
    /// The code compiled: nothing to explain.
    pub compiles: bool,
    /// It failed for a reason that is not about `Send`: the compiler's (or cargo's) first
    /// error, as it printed it.
    pub other_error: Option<String>,
    /// The compiler's own output, errors and warnings, as it printed them.
    #[serde(skip)]
    pub rendered: Vec<String>,
    /// How many `cargo check`s it took: one, plus one recheck for all the axum handlers
    /// whose error named no value.
    #[serde(rename = "checks")]
    pub builds: usize,
    #[serde(skip)]
    pub took: Duration,
}

/// Explains the project `request` names.
pub fn explain(request: &Request) -> Result<Explained> {
    let started = Instant::now();
    let project = locate(request)?;
    let mut builds = 0;

    // Without a Cargo.lock, cargo would write one: work on a copy instead.
    let scratch;
    let (check_root, target_dir) = if project.root.join("Cargo.lock").is_file() {
        (project.root.clone(), None)
    } else {
        scratch = Scratch::copy_of(&project.root, &project.target_dir)?;
        let target = scratch.path().join("target");
        (scratch.path().to_owned(), Some(target))
    };
    let relative_manifest = project
        .manifest
        .strip_prefix(&project.root)
        .unwrap_or(&project.manifest)
        .to_owned();

    let first = check(
        &check_root,
        &check_root.join(&relative_manifest),
        &request.cargo_args,
        target_dir.as_deref(),
        request.limit,
    )?;
    builds += 1;
    let sources = source_reader(check_root.clone());
    let mut diagnoses = explain::diagnose(&first.diagnostics, &sources);

    // axum's Handler error names no value: recheck a copy with `debug_handler` on each
    // handler it names that is not explained yet, all in one build.
    let handlers = unexplained_handlers(&first.diagnostics, &diagnoses, &check_root);
    if !handlers.is_empty() && first.finished {
        let scratch = Scratch::copy_of(&check_root, &project.target_dir)?;
        let inserted = copy::annotate_handlers(scratch.path(), &handlers)?;
        let recheck = check(
            scratch.path(),
            &scratch.path().join(&relative_manifest),
            &request.cargo_args,
            Some(target_dir.as_deref().unwrap_or(&project.target_dir)),
            request.limit,
        )?;
        builds += 1;
        let copy_sources = source_reader(scratch.path().to_owned());
        for mut diagnosis in explain::diagnose(&recheck.diagnostics, &copy_sources) {
            copy::shift_back(&mut diagnosis, &inserted);
            diagnoses.push(diagnosis);
        }
    }
    explain::dedup(&mut diagnoses);

    let other_error = if diagnoses.is_empty() && !first.success {
        Some(first.first_error())
    } else {
        None
    };
    Ok(Explained {
        compiles: first.success,
        diagnoses,
        other_error,
        rendered: first.rendered,
        builds,
        took: started.elapsed(),
    })
}

/// The workspace the request is about.
struct Project {
    root: PathBuf,
    manifest: PathBuf,
    target_dir: PathBuf,
}

fn locate(request: &Request) -> Result<Project> {
    let mut command = cargo_metadata::MetadataCommand::new();
    command.no_deps().current_dir(&request.dir);
    if let Some(manifest) = &request.manifest_path {
        command.manifest_path(manifest);
    }
    let metadata = command.exec().map_err(|err| {
        anyhow::anyhow!(
            "{} is not in a cargo project that cargo can read: {}",
            request.dir.display(),
            first_line(&err.to_string())
        )
    })?;
    let root = metadata.workspace_root.into_std_path_buf();
    let manifest = match &request.manifest_path {
        Some(path) => std::path::absolute(path)?,
        None => root.join("Cargo.toml"),
    };
    Ok(Project {
        root,
        manifest,
        target_dir: metadata.target_directory.into_std_path_buf(),
    })
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(text)
        .to_owned()
}

/// One `cargo check` and what came of it.
struct Check {
    success: bool,
    /// Cargo got as far as compiling (it did not fail on the manifest or the lockfile).
    finished: bool,
    diagnostics: Vec<Diagnostic>,
    rendered: Vec<String>,
    cargo_stderr: String,
}

impl Check {
    fn first_error(&self) -> String {
        self.diagnostics
            .iter()
            .filter(|d| matches!(d.level, DiagnosticLevel::Error | DiagnosticLevel::Ice))
            .find_map(|d| d.rendered.clone())
            .unwrap_or_else(|| {
                let text = self.cargo_stderr.trim();
                if text.is_empty() {
                    "cargo failed without a message".to_owned()
                } else {
                    text.to_owned()
                }
            })
    }
}

fn check(
    root: &Path,
    manifest: &Path,
    cargo_args: &[String],
    target_dir: Option<&Path>,
    limit: Duration,
) -> Result<Check> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let format = if std::io::stdout().is_terminal() {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    };
    let mut command = Command::new(cargo);
    command
        .arg("check")
        .arg("--manifest-path")
        .arg(manifest)
        .arg(format)
        .args(cargo_args)
        .current_dir(root);
    if root.join("Cargo.lock").is_file() {
        command.arg("--locked");
    }
    if let Some(target) = target_dir {
        command.env("CARGO_TARGET_DIR", target);
    }
    let captured = capture(command, limit)?;
    let Some(status) = captured.status else {
        bail!(
            "cargo check did not finish within {} s (an endless constant evaluation, or a \
             very large build?); nothing was changed",
            limit.as_secs()
        );
    };
    let mut check = Check {
        success: status.success(),
        finished: false,
        diagnostics: Vec::new(),
        rendered: Vec::new(),
        cargo_stderr: captured.stderr,
    };
    for message in Message::parse_stream(captured.stdout.as_bytes()).flatten() {
        match message {
            Message::CompilerMessage(message) => {
                if let Some(text) = &message.message.rendered {
                    check.rendered.push(text.clone());
                }
                check.diagnostics.push(message.message);
            }
            Message::BuildFinished(_) => check.finished = true,
            _ => {}
        }
    }
    Ok(check)
}

/// Reads a file a diagnostic names: relative to the workspace, or absolute.
fn source_reader(root: PathBuf) -> impl Fn(&str) -> Option<String> {
    move |file: &str| {
        let path = Path::new(file);
        let path = if path.is_absolute() {
            path.to_owned()
        } else {
            root.join(path)
        };
        fs::read_to_string(path).ok()
    }
}

/// The handlers (by file, relative to `root`, and name) of axum `Handler` errors that no
/// diagnosis explains yet.
fn unexplained_handlers(
    diagnostics: &[Diagnostic],
    known: &[Diagnosis],
    root: &Path,
) -> BTreeMap<PathBuf, Vec<String>> {
    let mut handlers: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for diagnostic in diagnostics {
        let Some((file, name)) = explain::unexplained_handler(diagnostic) else {
            continue;
        };
        let Ok(source) = fs::read_to_string(root.join(&file)) else {
            continue;
        };
        let Some(line) = copy::handler_line(&source, &name) else {
            continue;
        };
        // A diagnosis inside the handler (after its first line) already explains it.
        let explained = known
            .iter()
            .any(|d| d.file == file && d.value_line.is_some_and(|l| l > line));
        let names = handlers.entry(PathBuf::from(&file)).or_default();
        if !explained && !names.contains(&name) {
            names.push(name);
        }
    }
    handlers.retain(|_, names| !names.is_empty());
    handlers
}
