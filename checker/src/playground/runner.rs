//! Runs one block of the book: its file, with the reader's version of the region spliced
//! in, is built as a program of a scratch working copy (the same package, dependencies and
//! `target/` as `cargo workshop check`), offline and under a time limit. Code that does not
//! compile gets the compiler's errors and `explain`'s diagnosis; an exercise or a solution
//! that compiles runs its behaviour check under the harness's watchdog; a snippet that is a
//! whole program just runs.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cargo_metadata::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::explain::{self, Diagnosis};
use crate::harness::Verdict;
use crate::harness::run::{self, Stop, Watch};
use crate::material::book::Runnable;
use crate::material::cargo_build::{self, Build, Options};
use crate::playground::source::splice;
use crate::workshop::attempt::rendered_errors;
use crate::workshop::commands::diagnoses_text;
use crate::workshop::{Workshop, explain_file};

/// The scratch working copy, relative to the repository's root.
pub const SCRATCH_DIR: &str = "target/run-in-page";

/// What a Run button sends.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RunRequest {
    /// The block's code as the reader left it. `None` runs the region as shipped.
    #[serde(default)]
    pub code: Option<String>,
    /// `FILE#ANCHOR` for a block that shows a region of an exercise or a solution; `None`
    /// for a snippet typed in the page, which is a whole program.
    #[serde(default)]
    pub origin: Option<String>,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ending {
    DoesNotCompile,
    /// An exercise or solution compiled and its behaviour check passed.
    CheckPassed,
    /// It compiled, but its behaviour check did not pass.
    CheckFailed,
    /// A snippet compiled and ran to its end with success.
    Ran,
    /// A snippet compiled but failed, or was stopped, when it ran.
    RunFailed,
    /// Nothing could be built: the request or the machine is at fault, not the code.
    NotRun,
}

impl Ending {
    /// Its name in the answer's JSON (`does-not-compile`…), for the server's log.
    pub fn name(self) -> &'static str {
        match self {
            Ending::DoesNotCompile => "does-not-compile",
            Ending::CheckPassed => "check-passed",
            Ending::CheckFailed => "check-failed",
            Ending::Ran => "ran",
            Ending::RunFailed => "run-failed",
            Ending::NotRun => "not-run",
        }
    }
}

/// The answer, in the shape of the Rust Playground's (`result`, `error`), with what the
/// page needs besides.
#[derive(Debug, Clone, Serialize)]
pub struct RunResponse {
    /// Everything to show, as plain text: the compiler's errors, the diagnosis, the verdict.
    pub result: String,
    /// Why nothing was run, when the request could not be (an unknown file, say).
    pub error: Option<String>,
    pub ending: Ending,
    /// The behaviour check's verdict, for an exercise or solution that compiled.
    pub verdict: Option<String>,
    pub diagnoses: Vec<Diagnosis>,
    pub build_ms: u64,
    pub total_ms: u64,
}

impl RunResponse {
    /// An answer for a request that could not be run.
    pub fn not_run(why: impl Into<String>) -> RunResponse {
        let why = why.into();
        RunResponse {
            result: String::new(),
            error: Some(why),
            ending: Ending::NotRun,
            verdict: None,
            diagnoses: Vec::new(),
            build_ms: 0,
            total_ms: 0,
        }
    }
}

/// How long a build and a run may take, and how much they may print.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Compiling the block's program. A first build may compile the shared crates too.
    pub build: Duration,
    /// The whole process of a program that runs; the harness's own watchdog
    /// ([`crate::harness::WATCHDOG_LIMIT`]) stops a stuck behaviour check well before.
    pub run: Duration,
    /// The text of an answer, in bytes.
    pub output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            build: Duration::from_secs(180),
            run: Duration::from_secs(10),
            output: 64 * 1024,
        }
    }
}

/// Builds and runs blocks in a scratch working copy of the repository at `root`.
pub struct Runner {
    workshop: Workshop,
    limits: Limits,
    /// Runs each program as a child subreaper (see [`run::reaper_main`]).
    reaper: Option<PathBuf>,
    /// Held while the runner lives: two servers never write into one scratch copy.
    _lock: fs::File,
}

impl Runner {
    /// A runner whose scratch copy is [`SCRATCH_DIR`], or `SCRATCH_DIR-2`, `-3`… when
    /// another server (a second `cargo xtask book`, the browser test) holds that one.
    pub fn open(root: &Path) -> Result<Runner> {
        for n in 1..=16 {
            let dir = match n {
                1 => root.join(SCRATCH_DIR),
                n => root.join(format!("{SCRATCH_DIR}-{n}")),
            };
            if let Some(runner) = Runner::try_open_at(root, &dir, Limits::default())? {
                return Ok(runner);
            }
        }
        anyhow::bail!("every scratch copy {SCRATCH_DIR}[-N] is in use by another server")
    }

    /// A runner whose scratch copy is `dir`; `None` if another runner holds it.
    pub fn try_open_at(root: &Path, dir: &Path, limits: Limits) -> Result<Option<Runner>> {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let lock = fs::File::create(dir.join(".in-use"))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Ok(None),
            Err(fs::TryLockError::Error(err)) => return Err(err.into()),
        }
        let workshop = Workshop::open_at(root, dir)?;
        Ok(Some(Runner {
            workshop,
            limits,
            reaper: None,
            _lock: lock,
        }))
    }

    /// The runner, running each program under `reaper` (a binary that calls
    /// [`run::reaper_main`] when its first argument is [`run::REAPER_ARG`]; `book-server`
    /// does): whatever a program starts is ended with it, even what left its process group.
    pub fn with_reaper(mut self, reaper: PathBuf) -> Runner {
        self.reaper = Some(reaper);
        self
    }

    pub fn dir(&self) -> &Path {
        &self.workshop.dir
    }

    /// Builds and runs what `request` asks for. Never fails: what went wrong is the answer.
    pub fn run(&self, request: &RunRequest) -> RunResponse {
        self.run_until(request, &Stop::new())
    }

    /// [`Runner::run`], given up (the build or the program stopped) once `stop` is set.
    pub fn run_until(&self, request: &RunRequest, stop: &Stop) -> RunResponse {
        let started = Instant::now();
        let watch = Watch {
            stop: stop.clone(),
            reaper: self.reaper.clone(),
        };
        let answer = match &request.origin {
            Some(origin) => self.run_region(origin, request.code.as_deref(), &watch),
            None => match &request.code {
                Some(code) => self.run_snippet(code, &watch),
                None => Ok(RunResponse::not_run("there is no code to run")),
            },
        };
        let mut answer = answer.unwrap_or_else(|err| RunResponse::not_run(format!("{err:#}")));
        if stop.is_stopped() {
            answer = RunResponse::not_run("stopped: the page that asked for this Run went away");
        }
        answer.result = capped(&plain(&answer.result), self.limits.output);
        answer.total_ms = millis(started.elapsed());
        answer
    }

    /// A region of an exercise or a solution, spliced into its file and checked as the
    /// exercise's program.
    fn run_region(&self, origin: &str, code: Option<&str>, watch: &Watch) -> Result<RunResponse> {
        let workshop = &self.workshop;
        let Some((file, anchor)) = origin.split_once('#') else {
            return Ok(RunResponse::not_run(format!(
                "{origin:?} is not FILE#ANCHOR"
            )));
        };
        let Some(runnable) = Runnable::of(&workshop.manifest, file) else {
            return Ok(RunResponse::not_run(format!(
                "{file} is not an exercise or a solution the book can run"
            )));
        };
        let pristine = fs::read_to_string(workshop.root.join(file))
            .with_context(|| format!("reading {file}"))?;
        let text = match code {
            Some(code) => match splice(&pristine, anchor, code) {
                Ok(text) => text,
                Err(why) => return Ok(RunResponse::not_run(format!("{file}: {why}"))),
            },
            None => pristine,
        };
        let exercise = runnable.exercise();
        let copy = workshop.attempt_path(exercise);
        if let Some(parent) = copy.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&copy, &text).with_context(|| format!("writing {}", copy.display()))?;
        workshop.write_package()?;
        let bin = workshop.bin_name(exercise);
        let build = self.build(&bin, &watch.stop)?;
        // The copy is compiled as exercises/<id>.rs; name the file the block came from.
        let compiled_as = format!("exercises/{}.rs", exercise.id);
        if !build.success || build.executable.is_none() {
            let dir = workshop.dir.clone();
            let sources = move |name: &str| fs::read_to_string(dir.join(name)).ok();
            return self.did_not_compile(&build, &sources, &text, &compiled_as, file);
        }
        let mut command = Command::new(build.executable.clone().unwrap_or_default());
        command.current_dir(&workshop.dir);
        let ran = run::run_watched(command, self.limits.run, watch)?;
        let mut result = String::new();
        let what = match runnable {
            Runnable::Exercise(_) => "exercise",
            Runnable::Solution(..) => "solution",
        };
        let ending = if ran.verdict == Verdict::Passed {
            let _ = writeln!(
                result,
                "✓ It compiles, and the {what}'s behaviour check passes."
            );
            Ending::CheckPassed
        } else {
            let _ = writeln!(
                result,
                "~ It compiles, but the {what}'s behaviour check fails: {}",
                ran.verdict.describe()
            );
            Ending::CheckFailed
        };
        let output = without_verdict(&ran.stderr);
        if !output.trim().is_empty() {
            let _ = write!(result, "\nWhat it printed:\n\n{}\n", output.trim_end());
        }
        Ok(RunResponse {
            result,
            error: None,
            ending,
            verdict: Some(ran.verdict.describe()),
            diagnoses: Vec::new(),
            build_ms: millis(build.took),
            total_ms: 0,
        })
    }

    /// A snippet typed in the page: a whole program, compiled and run as it is.
    fn run_snippet(&self, code: &str, watch: &Watch) -> Result<RunResponse> {
        let workshop = &self.workshop;
        let copy = workshop.dir.join(explain_file::SOURCE);
        if let Some(parent) = copy.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&copy, code).with_context(|| format!("writing {}", copy.display()))?;
        workshop.write_package()?;
        let build = self.build(&workshop.explain_bin(), &watch.stop)?;
        if !build.success || build.executable.is_none() {
            let text = code.to_owned();
            let sources = move |_: &str| Some(text.clone());
            return self.did_not_compile(
                &build,
                &sources,
                code,
                explain_file::SOURCE,
                "src/main.rs",
            );
        }
        let mut command = Command::new(build.executable.clone().unwrap_or_default());
        command.current_dir(&workshop.dir);
        let ran = run::capture_watched(command, self.limits.run, watch)?;
        let mut result = String::new();
        let ending = match ran.status {
            Some(status) if status.success() => {
                result.push_str("✓ It compiles, and it runs to its end.\n");
                Ending::Ran
            }
            Some(status) => {
                let _ = writeln!(
                    result,
                    "~ It compiles, but it failed when it ran ({status})."
                );
                Ending::RunFailed
            }
            None => {
                let _ = writeln!(
                    result,
                    "~ It compiles, but it was still running after {} s, so it was stopped.",
                    self.limits.run.as_secs()
                );
                Ending::RunFailed
            }
        };
        for (name, output) in [("its output", &ran.stdout), ("its errors", &ran.stderr)] {
            if !output.trim().is_empty() {
                let _ = write!(result, "\n{name}:\n\n{}\n", output.trim_end());
            }
        }
        Ok(RunResponse {
            result,
            error: None,
            ending,
            verdict: None,
            diagnoses: Vec::new(),
            build_ms: millis(build.took),
            total_ms: 0,
        })
    }

    fn build(&self, bin: &str, stop: &Stop) -> Result<Build> {
        let options = Options {
            time_limit: Some(self.limits.build),
            stop: Some(stop.clone()),
            offline: true,
        };
        cargo_build::run_with(
            &self.workshop.dir,
            "build",
            &["--bin", bin],
            Some(bin),
            options,
        )
    }

    /// The answer for code that did not compile: the compiler's errors, naming `shown`
    /// where they say `compiled_as`, and what `explain` makes of them.
    fn did_not_compile(
        &self,
        build: &Build,
        sources: &dyn explain::Sources,
        text: &str,
        compiled_as: &str,
        shown: &str,
    ) -> Result<RunResponse> {
        let mut result = String::new();
        if build.timed_out {
            let _ = writeln!(
                result,
                "✗ Compiling took longer than {} s, so it was stopped. Press Run again to go on \
                 (cargo keeps what it finished).",
                self.limits.build.as_secs()
            );
            return Ok(RunResponse {
                ending: Ending::NotRun,
                ..self.compiled(result, Vec::new(), build)
            });
        }
        // What it means first, as `cargo workshop explain` says it; then the compiler's words.
        result.push_str("✗ It does not compile.\n");
        let diagnoses = self.diagnose(&build.diagnostics, sources, text, shown)?;
        result.push_str(&diagnoses_text(&self.workshop.root, &diagnoses));
        let rendered = rendered_errors(&build.diagnostics);
        if rendered.is_empty() {
            let _ = write!(
                result,
                "\ncargo could not build it:\n\n{}\n",
                build.cargo_stderr.trim()
            );
        } else {
            result.push_str("\nThe compiler says:\n");
        }
        for error in &rendered {
            let error = cargo_build::relocate(error, compiled_as, shown);
            let _ = write!(result, "\n{}\n", error.trim_end());
        }
        Ok(self.compiled(result, diagnoses, build))
    }

    fn compiled(&self, result: String, diagnoses: Vec<Diagnosis>, build: &Build) -> RunResponse {
        RunResponse {
            result,
            error: None,
            ending: Ending::DoesNotCompile,
            verdict: None,
            diagnoses,
            build_ms: millis(build.took),
            total_ms: 0,
        }
    }

    /// `explain`'s diagnoses, as `cargo workshop explain` finds them (an axum `Handler`
    /// error is looked at again with `#[axum::debug_handler]` on the handler).
    fn diagnose(
        &self,
        diagnostics: &[Diagnostic],
        sources: &dyn explain::Sources,
        text: &str,
        shown: &str,
    ) -> Result<Vec<Diagnosis>> {
        let mut diagnoses = explain::diagnose(diagnostics, sources);
        for diagnosis in &mut diagnoses {
            diagnosis.file = shown.to_owned();
        }
        let more =
            explain_file::handler_rechecks(&self.workshop, diagnostics, &diagnoses, text, shown)?;
        diagnoses.extend(more);
        explain::dedup(&mut diagnoses);
        Ok(diagnoses)
    }
}

/// The program's output without the harness's `verdict:` line, which the answer restates.
fn without_verdict(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| !line.starts_with(crate::harness::VERDICT_PREFIX))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` without terminal escape sequences (cargo colours its messages in a terminal).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            // Parameters and intermediates, up to the final byte (@ to ~).
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
    }
    out
}

/// `text`, cut to at most `limit` bytes (on a character boundary) with a note saying so.
pub fn capped(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n… (cut here: the answer is limited to {} KiB)\n",
        &text[..end],
        limit / 1024
    )
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_taken_out() {
        assert_eq!(
            plain("\x1b[1m\x1b[91merror\x1b[0m: x\n  \x1b[1m\x1b[94m-->\x1b[0m a.rs"),
            "error: x\n  --> a.rs"
        );
    }

    #[test]
    fn long_answers_are_cut_on_a_character() {
        assert_eq!(capped("short", 10), "short");
        let cut = capped(&"é".repeat(2000), 1025);
        assert!(cut.starts_with(&"é".repeat(512)));
        assert!(cut.contains("limited to 1 KiB"));
    }
}
