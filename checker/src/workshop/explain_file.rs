//! `cargo workshop explain PATH`: diagnoses any code, not only the exercises.
//!
//! A single `.rs` file is compiled as a program of the working copy (so it can use the
//! same crates as the exercises: tokio, axum, serde, …); a folder with a `Cargo.toml` is
//! checked as the cargo project it is. axum's "`Handler<_, _>` is not satisfied" error names
//! no value, so for each handler it names, a copy of the file with a `Send` probe after that
//! handler is compiled too, and the probe's precise error is diagnosed instead.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use cargo_metadata::diagnostic::Diagnostic;

use crate::explain::{self, Diagnosis};
use crate::material::cargo_build::{self, Build};
use crate::project::{self, probe};
use crate::workshop::Workshop;

/// The bin of the working copy that compiles a file given to `explain` (after the copy's
/// prefix, see [`Workshop::explain_bin`]).
pub const BIN: &str = "explain";
/// Where that file is copied, relative to the working copy.
pub const SOURCE: &str = "explain/main.rs";

#[derive(Debug)]
pub struct Explained {
    pub diagnoses: Vec<Diagnosis>,
    /// The code compiled: nothing to explain.
    pub compiled: bool,
    /// It failed to compile for a reason that is not about `Send`: the compiler's first
    /// error, as it printed it.
    pub other_error: Option<String>,
}

/// Explains the file or cargo project at `path`.
pub fn explain_path(workshop: &Workshop, path: &Path) -> Result<Explained> {
    if !path.exists() {
        bail!("{} does not exist", path.display());
    }
    if path.is_dir() {
        let explained = project::explain(&project::Request {
            dir: path.to_owned(),
            manifest_path: None,
            cargo_args: vec!["--all-targets".to_owned()],
            limit: project::DEFAULT_LIMIT,
        })?;
        return Ok(Explained {
            diagnoses: explained.diagnoses,
            compiled: explained.compiles,
            other_error: explained.other_error,
        });
    }
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let source = String::from_utf8(bytes)
        .with_context(|| format!("{} is not UTF-8 text", path.display()))?;
    let shown = path.display().to_string();
    let build = compile_copy(workshop, &source)?;
    let mut diagnoses = diagnose_copy(workshop, &build.diagnostics, &source, &shown);
    diagnoses.extend(handler_rechecks(
        workshop,
        &build.diagnostics,
        &diagnoses,
        &source,
        &shown,
    )?);
    explain::dedup(&mut diagnoses);
    let mut explained = finish(build, diagnoses);
    // The copy was compiled as explain/main.rs: name the learner's file instead.
    explained.other_error = explained
        .other_error
        .map(|text| cargo_build::relocate(&text, SOURCE, &shown));
    Ok(explained)
}

/// For the axum `Handler` errors whose handler has no diagnosis yet, compiles one copy of
/// `source` with a `Send` probe after each such handler and what it awaits (the probes of
/// `cargo explain-send`, which need no axum feature and move no line), and diagnoses what
/// the probes report.
pub fn handler_rechecks(
    workshop: &Workshop,
    diagnostics: &[Diagnostic],
    known: &[Diagnosis],
    source: &str,
    shown: &str,
) -> Result<Vec<Diagnosis>> {
    let index = probe::index_source(Path::new(SOURCE), source);
    let mut named: Vec<probe::FutureFn> = Vec::new();
    for diagnostic in diagnostics {
        let Some((_, handler)) = explain::unexplained_handler(diagnostic) else {
            continue;
        };
        for function in index.iter().filter(|f| f.name == handler) {
            // A diagnosis inside the handler (after its first line) already explains it.
            let explained = known
                .iter()
                .any(|d| d.value_line.is_some_and(|line| line > function.line));
            if !explained && !named.iter().any(|f| f.line == function.line) {
                named.push(function.clone());
            }
        }
    }
    let targets = probe::closure_of(&index, &named, 4, 64);
    let targets: Vec<&probe::FutureFn> = targets.iter().filter(|f| f.can_probe()).collect();
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let (probed, placed) = probe::with_probes(source, &targets, 0);
    let build = compile_copy(workshop, &probed)?;
    let answered: Vec<Diagnostic> = project::probe_answers(&build.diagnostics, &placed)
        .into_iter()
        .flat_map(|answer| answer.diagnostics)
        .collect();
    Ok(diagnose_copy(workshop, &answered, source, shown))
}

fn finish(build: Build, diagnoses: Vec<Diagnosis>) -> Explained {
    let other_error = if diagnoses.is_empty() && !build.success {
        build
            .errors()
            .next()
            .and_then(|d| d.rendered.clone())
            .or_else(|| Some(build.cargo_stderr.trim().to_owned()))
    } else {
        None
    };
    Explained {
        compiled: build.success,
        diagnoses,
        other_error,
    }
}

fn compile_copy(workshop: &Workshop, source: &str) -> Result<Build> {
    let copy = workshop.dir.join(SOURCE);
    if let Some(parent) = copy.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&copy, source).with_context(|| format!("writing {}", copy.display()))?;
    workshop.write_package()?;
    let bin = workshop.explain_bin();
    cargo_build::run(&workshop.dir, "build", &["--bin", &bin], Some(&bin))
}

/// Diagnoses a compiled copy, naming the original file in the diagnoses.
fn diagnose_copy(
    _workshop: &Workshop,
    diagnostics: &[Diagnostic],
    source: &str,
    shown: &str,
) -> Vec<Diagnosis> {
    let text = source.to_owned();
    let sources = move |_: &str| Some(text.clone());
    let mut diagnoses = explain::diagnose(diagnostics, &sources);
    for diagnosis in &mut diagnoses {
        diagnosis.rename_path(SOURCE, shown);
        diagnosis.file = shown.to_owned();
    }
    diagnoses
}
