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
use crate::playground::source::{imports_given, regions, splice};
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
    /// The page's other blocks of the same file, as the reader left them: one program is
    /// built from all of them (a field renamed in one block and used in another).
    #[serde(default)]
    pub also: Vec<Block>,
}

/// One more edited region of the file a Run builds.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Block {
    pub anchor: String,
    pub code: String,
}

/// A build that took this long compiled more than the block: the material's crates.
const FIRST_BUILD: Duration = Duration::from_secs(8);

/// The most blocks of one file a Run takes: an exercise shows two or three.
pub const MAX_BLOCKS: usize = 16;

/// Where a region of the file sits, so the page can number its lines as the answer does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub anchor: String,
    /// Its first and last line in the file as built (counting from 1), without the marker
    /// lines.
    pub first: usize,
    pub last: usize,
}

/// What explain says about one problem, for the page to show with its link.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Why, where the culprit sits, kind and shape, and the fix, as `cargo workshop` says it.
    pub text: String,
    /// The book's page about it, relative to the book's root (`fixes/scope.html`).
    pub page: String,
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
    /// The parts of `result`, for the page to lay out: the verdict in a sentence,
    pub summary: String,
    /// explain's diagnoses with the pages about them,
    pub explanations: Vec<Explanation>,
    /// the compiler's messages (paths relative to the exercise's folder, never a home or a
    /// checkout),
    pub compiler: String,
    /// and what the program printed.
    pub printed: String,
    /// A word on the Run itself: that it built the material's crates first, when it did.
    pub note: Option<String>,
    /// The file that was built (`exercises/oauth-callback.rs`) and where its regions sit.
    pub file: Option<String>,
    pub regions: Vec<Region>,
}

impl RunResponse {
    /// An answer for a request that could not be run.
    pub fn not_run(why: impl Into<String>) -> RunResponse {
        let why = why.into();
        RunResponse {
            error: Some(why),
            ..RunResponse::ended(Ending::NotRun, String::new())
        }
    }

    /// An answer that ended with `ending`, whose text so far is `result`.
    fn ended(ending: Ending, result: String) -> RunResponse {
        RunResponse {
            summary: result.lines().next().unwrap_or_default().to_owned(),
            result,
            error: None,
            ending,
            verdict: None,
            diagnoses: Vec::new(),
            build_ms: 0,
            total_ms: 0,
            explanations: Vec::new(),
            compiler: String::new(),
            printed: String::new(),
            note: None,
            file: None,
            regions: Vec::new(),
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
            ..Watch::default()
        };
        let answer = match &request.origin {
            Some(origin) => self.run_region(origin, request.code.as_deref(), &request.also, &watch),
            None => match &request.code {
                Some(code) => self.run_snippet(code, &watch),
                None => Ok(RunResponse::not_run("there is no code to run")),
            },
        };
        let mut answer = answer.unwrap_or_else(|err| RunResponse::not_run(format!("{err:#}")));
        if stop.is_stopped() {
            answer = RunResponse::not_run("stopped: the page that asked for this Run went away");
        }
        let relative = |text: &str| relative_paths(&plain(text), &self.workshop.root);
        answer.result = capped(&relative(&answer.result), self.limits.output);
        answer.compiler = capped(&relative(&answer.compiler), self.limits.output);
        answer.printed = capped(&relative(&answer.printed), self.limits.output);
        if let Some(error) = &answer.error {
            answer.error = Some(relative(error));
        }
        if answer.build_ms >= millis(FIRST_BUILD) {
            let note = format!(
                "This Run built the material's crates first ({} s), as the first Run after they \
                 change does; the next Runs take about a second.",
                answer.build_ms / 1000
            );
            answer.result = format!("{}\n{note}\n", answer.result.trim_end());
            answer.note = Some(note);
        }
        answer.total_ms = millis(started.elapsed());
        answer
    }

    /// A region of an exercise or a solution, spliced into its file and checked as the
    /// exercise's program.
    fn run_region(
        &self,
        origin: &str,
        code: Option<&str>,
        also: &[Block],
        watch: &Watch,
    ) -> Result<RunResponse> {
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
        if also.len() > MAX_BLOCKS {
            return Ok(RunResponse::not_run(format!(
                "a Run takes at most {MAX_BLOCKS} blocks of a file"
            )));
        }
        let mut edited: Vec<(&str, &str)> = also
            .iter()
            .filter(|block| block.anchor != anchor)
            .map(|block| (block.anchor.as_str(), block.code.as_str()))
            .collect();
        if let Some(code) = code {
            edited.push((anchor, code));
        } else if splice(&pristine, anchor, "").is_err() {
            return Ok(RunResponse::not_run(format!(
                "{file}: the file has no `ANCHOR: {anchor}` line"
            )));
        }
        let mut text = pristine.clone();
        for (anchor, code) in &edited {
            text = match splice(&text, anchor, code) {
                Ok(text) => text,
                Err(why) => return Ok(RunResponse::not_run(format!("{file}: {why}"))),
            };
        }
        let codes: Vec<&str> = edited.iter().map(|(_, code)| *code).collect();
        let text = imports_given(&text, &codes);
        let regions = regions(&text);
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
            let answer = self.did_not_compile(&build, &sources, &text, &compiled_as, file)?;
            return Ok(RunResponse {
                file: Some(file.to_owned()),
                regions,
                ..answer
            });
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
            verdict: Some(ran.verdict.describe()),
            build_ms: millis(build.took),
            printed: output.trim_end().to_owned(),
            file: Some(file.to_owned()),
            regions,
            ..RunResponse::ended(ending, result)
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
        let mut printed = String::new();
        for (name, output) in [("its output", &ran.stdout), ("its errors", &ran.stderr)] {
            if !output.trim().is_empty() {
                let _ = write!(printed, "{name}:\n\n{}\n\n", output.trim_end());
            }
        }
        if !printed.is_empty() {
            let _ = write!(result, "\n{}", printed.trim_end());
        }
        Ok(RunResponse {
            build_ms: millis(build.took),
            printed: printed.trim_end().to_owned(),
            ..RunResponse::ended(ending, result)
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
        let explanations = diagnoses
            .iter()
            .map(|diagnosis| Explanation {
                text: diagnosis.to_text().trim_end().to_owned(),
                page: diagnosis
                    .page
                    .strip_suffix(".md")
                    .map_or_else(|| diagnosis.page.clone(), |page| format!("{page}.html")),
            })
            .collect();
        let rendered = rendered_errors(&build.diagnostics);
        let mut compiler = String::new();
        if rendered.is_empty() {
            let _ = write!(
                compiler,
                "cargo could not build it:\n\n{}\n",
                build.cargo_stderr.trim()
            );
        }
        for error in &rendered {
            let error = cargo_build::relocate(error, compiled_as, shown);
            let _ = write!(compiler, "{}\n\n", error.trim_end());
        }
        if !rendered.is_empty() {
            result.push_str("\nThe compiler says:\n");
        }
        let _ = write!(result, "\n{}", compiler.trim_end());
        Ok(RunResponse {
            explanations,
            compiler: compiler.trim_end().to_owned(),
            ..self.compiled(result, diagnoses, build)
        })
    }

    fn compiled(&self, result: String, diagnoses: Vec<Diagnosis>, build: &Build) -> RunResponse {
        RunResponse {
            diagnoses,
            build_ms: millis(build.took),
            ..RunResponse::ended(Ending::DoesNotCompile, result)
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

/// `text` with the paths of this machine made short: a crate's file from cargo's registry
/// as `tokio-1.54.1/src/…`, the standard library's as `library/core/src/…`, the checkout's
/// files relative to it (`target/…`), and anything else in the home folder as `~/…`.
pub fn relative_paths(text: &str, root: &Path) -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|home| home.join(".cargo")));
    let rustup_home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|home| home.join(".rustup")));
    let mut text = text.to_owned();
    // `…/registry/src/index.crates.io-HASH/` and `…/toolchains/NAME/lib/rustlib/src/rust/`:
    // the prefix, one folder of any name, then a fixed rest.
    let mut prefixes: Vec<(String, &str)> = Vec::new();
    if let Some(cargo) = &cargo_home {
        prefixes.push((format!("{}/registry/src/", cargo.display()), ""));
        prefixes.push((format!("{}/git/checkouts/", cargo.display()), ""));
    }
    if let Some(rustup) = &rustup_home {
        prefixes.push((
            format!("{}/toolchains/", rustup.display()),
            "lib/rustlib/src/rust/",
        ));
    }
    for (prefix, rest) in &prefixes {
        text = cut_after(&text, prefix, rest);
    }
    for (long, short) in [
        (format!("{}/", root.display()), String::new()),
        (
            home.as_ref()
                .map(|home| format!("{}/", home.display()))
                .unwrap_or_default(),
            "~/".to_owned(),
        ),
    ] {
        if long.len() > 1 {
            text = text.replace(&long, &short);
        }
    }
    text
}

/// `text` with every `prefix` + one folder name + `/` + `rest` left out.
fn cut_after(text: &str, prefix: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut left = text;
    while let Some(at) = left.find(prefix) {
        out.push_str(&left[..at]);
        let after = &left[at + prefix.len()..];
        let folder_end = after.find('/').map(|end| end + 1);
        match folder_end.filter(|&end| after[end..].starts_with(rest)) {
            Some(end) => left = &after[end + rest.len()..],
            None => {
                out.push_str(prefix);
                left = after;
            }
        }
    }
    out.push_str(left);
    out
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
    fn paths_of_this_machine_are_made_short() {
        let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
        let root = Path::new("/work/checkout");
        let text = format!(
            "  --> {home}/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/tokio-1.54.1/src/sync/mutex.rs:10:5\n\
             ::: {home}/.rustup/toolchains/1.95.0-x86_64-unknown-linux-gnu/lib/rustlib/src/rust/library/core/src/marker.rs:1:1\n\
             the full type name has been written to '/work/checkout/target/debug/deps/x-123.long-type.txt'\n\
             and {home}/elsewhere/file.rs"
        );
        let short = relative_paths(&text, root);
        assert_eq!(
            short,
            "  --> tokio-1.54.1/src/sync/mutex.rs:10:5\n\
             ::: library/core/src/marker.rs:1:1\n\
             the full type name has been written to 'target/debug/deps/x-123.long-type.txt'\n\
             and ~/elsewhere/file.rs"
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
