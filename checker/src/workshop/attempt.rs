//! Checks one attempt: is the file there and readable, does it compile (and if not, why),
//! and does its behaviour check pass. Only that exercise is compiled, against the
//! dependencies the material already built.

use std::fs;
use std::process::Command;
use std::time::Duration;

use anyhow::Result;
use cargo_metadata::diagnostic::Diagnostic;

use crate::explain::{self, Diagnosis};
use crate::harness::Verdict;
use crate::harness::run::{self, Run};
use crate::material::cargo_build;
use crate::material::manifest::Exercise;
use crate::workshop::constraints::{self, Broken};
use crate::workshop::progress::{Progress, Status};
use crate::workshop::promises::{self, Promise};
use crate::workshop::{HARNESS_MARKER, Workshop, explain_file};

/// What checking an attempt found.
#[derive(Debug)]
pub enum Outcome {
    /// The learner's copy is gone (deleted or renamed).
    Missing,
    /// The file is not UTF-8, so the compiler cannot read it.
    NotUtf8 { line: usize },
    /// It does not compile: the compiler's own words, and what they mean.
    DoesNotCompile {
        rendered: Vec<String>,
        diagnoses: Vec<Diagnosis>,
        /// A failure of cargo itself, not of the code (a broken manifest, no network).
        cargo_error: Option<String>,
    },
    /// It compiled and ran: the behaviour check's verdict.
    Ran { run: Run, build_time: Duration },
    /// It compiles, but by a promise the code does not keep, or by breaking what the
    /// exercise asks to keep: not solved, and not run.
    Refused {
        promises: Vec<Promise>,
        broken: Vec<Broken>,
        build_time: Duration,
    },
}

#[derive(Debug)]
pub struct Report {
    pub outcome: Outcome,
    /// The learner changed the part of the file that checks their work.
    pub harness_edited: bool,
}

impl Report {
    pub fn status(&self) -> Status {
        match &self.outcome {
            Outcome::Ran { run, .. } if run.verdict == Verdict::Passed => Status::Solved,
            Outcome::Ran { .. } | Outcome::Refused { .. } => Status::CompilesButWrong,
            Outcome::DoesNotCompile { .. } => Status::DoesNotCompile,
            Outcome::Missing | Outcome::NotUtf8 { .. } => Status::NotChecked,
        }
    }
}

/// Checks the learner's copy of `exercise` and records the verdict in the progress file.
pub fn check(workshop: &Workshop, exercise: &Exercise) -> Result<Report> {
    check_within(workshop, exercise, Limits::default())
}

/// Time limits for running an attempt.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole process.
    pub process: Duration,
    /// The harness's watchdog, if not its default.
    pub watchdog: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            process: run::PROCESS_LIMIT,
            watchdog: None,
        }
    }
}

/// [`check`], with the program's run limited by `limits`.
pub fn check_within(workshop: &Workshop, exercise: &Exercise, limits: Limits) -> Result<Report> {
    workshop.ensure_attempt(exercise)?;
    workshop.write_package()?;
    let path = workshop.attempt_path(exercise);
    let Ok(bytes) = fs::read(&path) else {
        return Ok(Report {
            outcome: Outcome::Missing,
            harness_edited: false,
        });
    };
    let text = match String::from_utf8(bytes.clone()) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            return Ok(Report {
                outcome: Outcome::NotUtf8 { line },
                harness_edited: false,
            });
        }
    };
    let pristine = fs::read_to_string(workshop.pristine_path(exercise)).unwrap_or_default();
    let harness_edited = harness_part(&text) != harness_part(&pristine);

    let bin = workshop.bin_name(exercise);
    let build = cargo_build::run(&workshop.dir, "build", &["--bin", &bin], Some(&bin))?;
    let outcome = if !build.success || build.executable.is_none() {
        // Name the learner's copy as they know it, from the repository's root.
        let copy_dir = workshop.attempt_rel(exercise);
        let copy_dir = copy_dir
            .strip_suffix(&format!("{}.rs", exercise.id))
            .unwrap_or("");
        let rendered: Vec<String> = rendered_errors(&build.diagnostics)
            .into_iter()
            .map(|text| cargo_build::relocate(&text, "exercises/", copy_dir))
            .collect();
        let shown = workshop.attempt_rel(exercise);
        let diagnoses = explain_attempt(workshop, &build.diagnostics, &text, &shown)?;
        let cargo_error = (rendered.is_empty()).then(|| build.cargo_stderr.trim().to_owned());
        Outcome::DoesNotCompile {
            rendered,
            diagnoses,
            cargo_error,
        }
    } else if let Some((promises, broken)) = refusals(exercise, &text, &pristine) {
        Outcome::Refused {
            promises,
            broken,
            build_time: build.took,
        }
    } else {
        let exe = build.executable.clone().unwrap_or_default();
        let mut command = Command::new(exe);
        command.current_dir(&workshop.dir);
        if let Some(watchdog) = limits.watchdog {
            command.env(crate::harness::WATCHDOG_ENV, watchdog.as_secs().to_string());
        }
        Outcome::Ran {
            run: run::run_within(command, limits.process)?,
            build_time: build.took,
        }
    };
    let report = Report {
        outcome,
        harness_edited,
    };
    let mut progress = Progress::load(&workshop.dir)?;
    progress.record(&exercise.id, text.as_bytes(), report.status());
    progress.save(&workshop.dir)?;
    Ok(report)
}

/// The promises of an attempt and the constraints it breaks, if there are any.
fn refusals(
    exercise: &Exercise,
    text: &str,
    pristine: &str,
) -> Option<(Vec<Promise>, Vec<Broken>)> {
    let promises = promises::new_promises(text, pristine);
    let broken = constraints::broken(&exercise.keep, text, pristine);
    (!promises.is_empty() || !broken.is_empty()).then_some((promises, broken))
}

/// The part of an exercise below the checker's marker, without blank-space differences.
fn harness_part(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|line| !line.contains(HARNESS_MARKER))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}

/// The compiler's errors as it would print them.
pub fn rendered_errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.level,
                cargo_metadata::diagnostic::DiagnosticLevel::Error
                    | cargo_metadata::diagnostic::DiagnosticLevel::Ice
            )
        })
        .filter_map(|d| d.rendered.clone())
        .collect()
}

/// Diagnoses the errors of an attempt, reading its source from the working copy; an axum
/// `Handler` error is looked at again with `#[axum::debug_handler]` on the handler.
fn explain_attempt(
    workshop: &Workshop,
    diagnostics: &[Diagnostic],
    source: &str,
    shown: &str,
) -> Result<Vec<Diagnosis>> {
    let dir = workshop.dir.clone();
    let sources = move |file: &str| fs::read_to_string(dir.join(file)).ok();
    let mut diagnoses = explain::diagnose(diagnostics, &sources);
    for diagnosis in &mut diagnoses {
        diagnosis.file = shown.to_owned();
    }
    let more = explain_file::handler_rechecks(workshop, diagnostics, &diagnoses, source, shown)?;
    diagnoses.extend(more);
    explain::dedup(&mut diagnoses);
    Ok(diagnoses)
}
