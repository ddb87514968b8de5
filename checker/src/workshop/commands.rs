//! What each `cargo workshop` command does and prints. The exit code says how it went:
//! 0 when the asked-for thing is fine (solved, explained, healthy), 1 when it is not yet.

use std::fmt::Write as _;
use std::fs;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use similar::TextDiff;

use crate::explain::Diagnosis;
use crate::harness::Verdict;
use crate::material::book::page_links;
use crate::material::manifest::Exercise;
use crate::workshop::attempt::{self, Outcome, Report};
use crate::workshop::explain_file;
use crate::workshop::progress::{Progress, Status};
use crate::workshop::{HARNESS_MARKER, Workshop};

/// The progress view: every exercise with its status, a bar, and what to do next.
pub fn list(workshop: &Workshop) -> Result<ExitCode> {
    let progress = Progress::load(&workshop.dir)?;
    let exercises = workshop.in_book_order();
    let statuses: Vec<Status> = exercises
        .iter()
        .map(|e| status_of(workshop, &progress, e))
        .collect();
    let solved = statuses.iter().filter(|s| **s == Status::Solved).count();
    let total = statuses.len();
    println!(
        "Exercises  {}  {solved}/{total} solved\n",
        bar(solved, total, 24)
    );
    let names: Vec<String> = exercises
        .iter()
        .map(|e| format!("{:>2} {}", number(e), e.title))
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let mut last_page = "";
    for ((exercise, status), name) in exercises.iter().zip(&statuses).zip(&names) {
        // The chapter's title once, above its exercises.
        let chapter = if exercise.page != last_page {
            workshop.page_title(&exercise.page)
        } else {
            ""
        };
        last_page = &exercise.page;
        let pad = width - name.chars().count();
        println!("  {} {name}{}   {chapter}", status.mark(), " ".repeat(pad));
    }
    println!("\n  ✓ solved   ~ compiles but its check fails   ✗ does not compile   · not checked");
    match next_unsolved(workshop, &progress) {
        Some(next) => {
            // So the file named below exists when the learner opens it.
            workshop.ensure_attempt(next)?;
            println!(
                "\nNext: {} · {}\n  Read \"{}\" ({}) in the book, edit {}, then run \
                 `cargo workshop check {}`.",
                number(next),
                next.title,
                workshop.page_title(&next.page),
                page_links(&workshop.root, &next.page),
                workshop.attempt_rel(next),
                number(next)
            );
        }
        None => println!("\nEvery exercise is solved. Well done!"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks one attempt and prints the verdict.
pub fn check(workshop: &Workshop, wanted: Option<&str>) -> Result<ExitCode> {
    let progress = Progress::load(&workshop.dir)?;
    let exercise = match wanted {
        Some(wanted) => workshop.find(wanted)?,
        None => match next_unsolved(workshop, &progress) {
            Some(exercise) => exercise,
            None => {
                println!("Every exercise is solved. `cargo workshop check N` checks one again.");
                return Ok(ExitCode::SUCCESS);
            }
        },
    };
    let solved = check_and_print(workshop, exercise)?;
    Ok(if solved {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Checks `exercise`, prints what was found, and says whether it is solved.
pub fn check_and_print(workshop: &Workshop, exercise: &Exercise) -> Result<bool> {
    let created = workshop.ensure_attempt(exercise)?;
    let file = workshop.attempt_rel(exercise);
    if created {
        println!("Created your copy of the exercise: {file}");
    }
    println!(
        "Checking {} · {} ({file})…",
        number(exercise),
        exercise.title
    );
    let report = attempt::check(workshop, exercise)?;
    print_report(workshop, exercise, &report);
    Ok(report.status() == Status::Solved)
}

fn print_report(workshop: &Workshop, exercise: &Exercise, report: &Report) {
    let n = number(exercise);
    if report.harness_edited {
        println!(
            "\nwarning: the checker's part of the file (below \"{HARNESS_MARKER}\") was changed. \
             The verdict may not mean what it says; `cargo workshop reset {n}` restores the \
             exercise and keeps your version in workshop/backups/."
        );
    }
    match &report.outcome {
        Outcome::Missing => println!(
            "\n✗ {} is missing (deleted or renamed?). Rename it back, or run \
             `cargo workshop reset {n}` to get a fresh copy.",
            workshop.attempt_rel(exercise)
        ),
        Outcome::NotUtf8 { line } => println!(
            "\n✗ {} is not UTF-8 text (around line {line}), so the compiler cannot read it. \
             Save it as UTF-8 in your editor.",
            workshop.attempt_rel(exercise)
        ),
        Outcome::DoesNotCompile {
            rendered,
            diagnoses,
            cargo_error,
        } => {
            for error in rendered {
                println!("\n{}", error.trim_end());
            }
            if let Some(cargo_error) = cargo_error {
                println!("\ncargo could not build it:\n{cargo_error}");
            }
            println!("\n✗ It does not compile yet.");
            print_diagnoses(&workshop.root, diagnoses);
            println!(
                "\n  The book: {}   Stuck? `cargo workshop hint {n}`",
                page_links(&workshop.root, &exercise.page)
            );
        }
        Outcome::Ran { run, .. } => match &run.verdict {
            Verdict::Passed => {
                println!("\n✓ Solved! It compiles and its check passes.");
                // The same "next" as `cargo workshop` shows: the first unsolved exercise in
                // the book's order (this one counts as solved already).
                let progress = Progress::load(&workshop.dir).unwrap_or_default();
                let next = next_unsolved(workshop, &progress).filter(|e| e.id != exercise.id);
                match next {
                    Some(next) => println!(
                        "  Compare with the reference: `cargo workshop solution {n}`.\n  \
                         Next: {} · {} ({}), `cargo workshop check {}`.",
                        number(next),
                        next.title,
                        page_links(&workshop.root, &next.page),
                        number(next)
                    ),
                    None => println!("  Every exercise is solved. Well done!"),
                }
            }
            verdict => {
                let output = run
                    .stderr
                    .lines()
                    .filter(|l| !l.starts_with(crate::harness::VERDICT_PREFIX))
                    .collect::<Vec<_>>()
                    .join("\n");
                if !output.trim().is_empty() {
                    println!("\n{}", output.trim_end());
                }
                println!(
                    "\n~ It compiles, but its check fails: {}",
                    verdict.describe()
                );
                println!(
                    "\n  The book: {}   Stuck? `cargo workshop hint {n}`",
                    page_links(&workshop.root, &exercise.page)
                );
            }
        },
    }
}

fn print_diagnoses(root: &Path, diagnoses: &[Diagnosis]) {
    print!("{}", diagnoses_text(root, diagnoses));
}

/// What `explain` found, in the words every command uses: for each diagnosis, a blank line,
/// then its Why, its kind and shape, its Fix and the page to read.
pub fn diagnoses_text(root: &Path, diagnoses: &[Diagnosis]) -> String {
    let mut out = String::new();
    for d in diagnoses {
        let _ = write!(
            out,
            "
{}",
            d.to_text()
        );
        let _ = writeln!(out, "  More: {}", page_links(root, &d.page));
    }
    out
}

/// The next hint, one more each time it is asked.
pub fn hint(workshop: &Workshop, wanted: &str) -> Result<ExitCode> {
    let exercise = workshop.find(wanted)?;
    let mut progress = Progress::load(&workshop.dir)?;
    let shown = progress.next_hint(&exercise.id, exercise.hints.len());
    progress.save(&workshop.dir)?;
    println!("Hints for {} · {}:\n", number(exercise), exercise.title);
    for (index, hint) in exercise.hints.iter().take(shown).enumerate() {
        println!("  {}. {hint}\n", index + 1);
    }
    if shown < exercise.hints.len() {
        println!(
            "({shown} of {}; ask again for the next one.)",
            exercise.hints.len()
        );
    } else {
        println!(
            "(That was the last hint. The book's page walks through it: {})",
            page_links(&workshop.root, &exercise.page)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Restores an exercise as shipped, keeping the learner's version in a timestamped backup.
pub fn reset(workshop: &Workshop, wanted: &str) -> Result<ExitCode> {
    let exercise = workshop.find(wanted)?;
    let attempt = workshop.attempt_path(exercise);
    if attempt.exists() {
        let backup = backup_path(workshop, exercise);
        if let Some(parent) = backup.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(&attempt, &backup)
            .with_context(|| format!("backing up {} first", attempt.display()))?;
        println!("Your version is kept in {}", rel(workshop, &backup));
    }
    workshop.copy_pristine(exercise)?;
    workshop.write_package()?;
    println!("{} is back as shipped.", workshop.attempt_rel(exercise));
    Ok(ExitCode::SUCCESS)
}

fn backup_path(workshop: &Workshop, exercise: &Exercise) -> std::path::PathBuf {
    let now = SystemTime::now();
    let dir = workshop.dir.join("backups");
    let mut path = dir.join(format!("{}.{}.rs", exercise.id, utc_stamp(now)));
    // Two resets within a second keep both versions.
    let mut extra = 1;
    while path.exists() {
        path = dir.join(format!("{}.{}-{extra}.rs", exercise.id, utc_stamp(now)));
        extra += 1;
    }
    path
}

/// Shows the reference solutions and the diff from the learner's file to each.
pub fn solution(workshop: &Workshop, wanted: &str, force: bool) -> Result<ExitCode> {
    let exercise = workshop.find(wanted)?;
    let progress = Progress::load(&workshop.dir)?;
    if !force && !progress.was_solved(&exercise.id) {
        println!(
            "{} · {} is not solved yet. Solve it first (`cargo workshop check {}`), or look \
             anyway with `cargo workshop solution {} --force`.",
            number(exercise),
            exercise.title,
            number(exercise),
            number(exercise)
        );
        return Ok(ExitCode::from(1));
    }
    let mine = fs::read_to_string(workshop.attempt_path(exercise)).unwrap_or_default();
    for solution in &exercise.solutions {
        let path = workshop.root.join("solutions").join(&solution.file);
        let theirs = fs::read_to_string(&path)
            .with_context(|| format!("reading solutions/{}", solution.file))?;
        println!("── solutions/{} ──\n{}\n", solution.file, solution.note);
        let diff = TextDiff::from_lines(&mine, &theirs);
        let unified = diff
            .unified_diff()
            .context_radius(3)
            .header(
                &workshop.attempt_rel(exercise),
                &format!("solutions/{}", solution.file),
            )
            .to_string();
        if unified.is_empty() {
            println!("Your file is the same as this solution.\n");
        } else {
            println!("{unified}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Explains a file or project, as text or JSON.
pub fn explain(workshop: &Workshop, path: &Path, json: bool) -> Result<ExitCode> {
    let explained = explain_file::explain_path(workshop, path)?;
    if json {
        // `diagnoses` is empty both for code that compiles and for code that fails for
        // another reason; `compiles` and `other_error` tell the two apart.
        let out = serde_json::json!({
            "diagnoses": explained.diagnoses,
            "compiles": explained.compiled,
            "other_error": explained.other_error,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else if explained.compiled {
        println!(
            "{} compiles: no future here fails to be `Send`.",
            path.display()
        );
    } else if explained.diagnoses.is_empty() {
        println!(
            "{} does not compile, but not because a future is not `Send`. The compiler's \
             first error:\n\n{}",
            path.display(),
            explained
                .other_error
                .as_deref()
                .unwrap_or("(no message)")
                .trim_end()
        );
    } else {
        println!("{}:", path.display());
        print_diagnoses(&workshop.root, &explained.diagnoses);
    }
    Ok(ExitCode::from(crate::explain::exit_code(
        explained.compiled,
        !explained.diagnoses.is_empty(),
    )))
}

/// Checks the toolchain, that dependencies are there offline, and that an exercise builds
/// to its expected error.
pub fn doctor(workshop: &Workshop) -> Result<ExitCode> {
    let mut healthy = true;
    let recorded = crate::material::toolchain::recorded(&workshop.root)?;
    let observed = crate::material::toolchain::observe(&workshop.root)?;
    let differences = crate::material::toolchain::differences(&recorded, &observed);
    if differences.is_empty() {
        println!(
            "✓ {}{} (as pinned in rust-toolchain.toml)",
            observed.rustc,
            if observed.has_rust_src {
                ", with the standard library's sources (rust-src)"
            } else {
                ""
            }
        );
    } else {
        healthy = false;
        for difference in &differences {
            println!("✗ {difference}");
        }
    }

    let Some(first) = workshop.manifest.exercises.first() else {
        bail!("the manifest lists no exercises");
    };
    let pristine = fs::read_to_string(workshop.pristine_path(first))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let fetched = std::process::Command::new(&cargo)
        .args(["fetch", "--offline"])
        .current_dir(&workshop.dir)
        .output()
        .context("running cargo fetch --offline")?;
    if fetched.status.success() {
        println!("✓ every dependency is on this machine: the exercises build offline");
    } else {
        healthy = false;
        println!(
            "✗ some dependencies are not downloaded yet; run `cargo fetch` while online:\n{}",
            String::from_utf8_lossy(&fetched.stderr).trim_end()
        );
    }

    let explained = explain_file::explain_path(workshop, &workshop.pristine_path(first))?;
    let expected = &first.diagnosis;
    let matches = explained
        .diagnoses
        .iter()
        .any(|d| d.kind == expected.kind && d.shape == expected.shape);
    if matches && !pristine.is_empty() {
        println!(
            "✓ exercise {} builds, and fails with the error the book shows",
            number(first)
        );
    } else {
        healthy = false;
        println!(
            "✗ exercise {} did not fail as expected ({} diagnoses, compiled: {}): {}",
            number(first),
            explained.diagnoses.len(),
            explained.compiled,
            explained.other_error.unwrap_or_default()
        );
    }
    println!(
        "{}",
        if healthy {
            "\nReady."
        } else {
            "\nNot ready yet: see above."
        }
    );
    Ok(if healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The learner's status for an exercise: the last verdict if the file has not changed.
pub fn status_of(workshop: &Workshop, progress: &Progress, exercise: &Exercise) -> Status {
    let contents = fs::read(workshop.attempt_path(exercise)).ok();
    progress.status(&exercise.id, contents.as_deref())
}

/// The first exercise, in order, that is not solved.
pub fn next_unsolved<'a>(workshop: &'a Workshop, progress: &Progress) -> Option<&'a Exercise> {
    workshop
        .in_book_order()
        .into_iter()
        .find(|e| status_of(workshop, progress, e) != Status::Solved)
}

/// `01` for `oauth-callback`.
pub fn number(exercise: &Exercise) -> usize {
    exercise.number
}

fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    let (full, empty) = if std::io::stdout().is_terminal() {
        ("█", "░")
    } else {
        ("#", "-")
    };
    format!("[{}{}]", full.repeat(filled), empty.repeat(width - filled))
}

fn rel(workshop: &Workshop, path: &Path) -> String {
    path.strip_prefix(&workshop.root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `2026-11-21T23-05-09Z`: an RFC 3339 time that is also a portable file name.
fn utc_stamp(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time)
        .to_string()
        .replace(':', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_times_fit_for_file_names() {
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_302_309);
        assert_eq!(utc_stamp(time), "2026-11-21T23-05-09Z");
    }
}
