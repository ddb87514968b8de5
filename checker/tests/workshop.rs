//! The learner's tool on real files: a good attempt, and every kind of bad input, gets a
//! clear verdict in bounded time, and nothing the learner wrote is lost.
//!
//! Each test works in a working copy of its own under `target/test-workshops/`, never in
//! the learner's `workshop/`.

use checker::material::verdicts::{Inputs, MATERIAL, replay_or_run_test};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use checker::harness::Verdict;
use checker::material::manifest::Outcome as Expected;
use checker::workshop::Workshop;
use checker::workshop::attempt::{self, Limits, Outcome};
use checker::workshop::commands;
use checker::workshop::explain_file::explain_path;
use checker::workshop::progress::{Progress, Status};

const LESSON: &str = "oauth-callback";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a check unless it passed before with the same inputs: see
/// `checker::material::verdicts`. For the checks that never show an exercise's hints.
fn checked(name: &str, check: impl FnOnce()) {
    replay_or_run_test(&format!("workshop::{name}"), inputs(false), check);
}

/// The same for a check that shows hints (`cargo workshop hint`, the `h` key of watch):
/// keyed on the manifest as written.
fn checked_showing_hints(name: &str, check: impl FnOnce()) {
    replay_or_run_test(&format!("workshop::{name}"), inputs(true), check);
}

/// What the workshop's checks read: the material (with or without the manifest's hints)
/// and the workshop's binary.
fn inputs(with_hints: bool) -> &'static Inputs {
    static INPUTS: [std::sync::OnceLock<Inputs>; 2] = [const { std::sync::OnceLock::new() }; 2];
    INPUTS[usize::from(with_hints)].get_or_init(|| {
        let inputs = Inputs::new(&root());
        let inputs = if with_hints {
            inputs.paths(MATERIAL)
        } else {
            inputs.material_but_hints()
        };
        inputs.program(Path::new(env!("CARGO_BIN_EXE_workshop")))
    })
}

/// A fresh working copy named `name`.
fn workshop(name: &str) -> Workshop {
    let dir = root().join("target/test-workshops").join(name);
    let _ = fs::remove_dir_all(&dir);
    Workshop::open_at(&root(), &dir).expect("the working copy opens")
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(root().join(path)).expect("the file is readable")
}

/// Writes `text` as the learner's attempt at the lesson, and checks it with short limits.
fn attempt(workshop: &Workshop, text: &[u8]) -> attempt::Report {
    let exercise = workshop.find(LESSON).expect("the lesson exists");
    workshop.ensure_attempt(exercise).expect("a copy is made");
    fs::write(workshop.attempt_path(exercise), text).expect("the attempt is written");
    let limits = Limits {
        process: Duration::from_secs(20),
        watchdog: Some(Duration::from_secs(2)),
    };
    attempt::check_within(workshop, exercise, limits).expect("the check runs")
}

/// The scoped solution with `find` replaced by `replace` (which must be there).
fn solution_with(find: &str, replace: &str) -> String {
    let solution = read("solutions/oauth-callback--scoped.rs");
    assert!(solution.contains(find), "the solution contains {find:?}");
    solution.replacen(find, replace, 1)
}

const LOCK_LINE: &str = "        let mut verifiers = app.verifiers.lock().unwrap();";

#[test]
fn a_solution_is_solved_and_recorded() {
    checked("a_solution_is_solved_and_recorded", || {
        let workshop = workshop("solved");
        let report = attempt(
            &workshop,
            read("solutions/oauth-callback--scoped.rs").as_bytes(),
        );
        assert_eq!(report.status(), Status::Solved, "{report:?}");
        assert!(!report.harness_edited);
        let progress = Progress::load(&workshop.dir).expect("progress loads");
        assert!(progress.was_solved(LESSON));
    });
}

#[test]
fn the_exercise_as_shipped_is_diagnosed() {
    checked("the_exercise_as_shipped_is_diagnosed", || {
        let workshop = workshop("as-shipped");
        let report = attempt(&workshop, read("exercises/oauth-callback.rs").as_bytes());
        let Outcome::DoesNotCompile {
            rendered,
            diagnoses,
            ..
        } = &report.outcome
        else {
            panic!("the exercise should not compile: {report:?}");
        };
        assert!(
            rendered
                .iter()
                .any(|e| e.contains("cannot be sent between threads safely"))
        );
        assert_eq!(diagnoses.len(), 1, "one value, one await: {diagnoses:?}");
        assert_eq!(diagnoses[0].binding.as_deref(), Some("verifiers"));
    });
}

#[test]
fn a_syntax_error_shows_the_compilers_words() {
    checked("a_syntax_error_shows_the_compilers_words", || {
        let workshop = workshop("syntax");
        let broken = solution_with(
            LOCK_LINE,
            "        let mut verifiers = app.verifiers.lock(.unwrap();",
        );
        let report = attempt(&workshop, broken.as_bytes());
        let Outcome::DoesNotCompile {
            rendered,
            diagnoses,
            ..
        } = &report.outcome
        else {
            panic!("a syntax error should not compile: {report:?}");
        };
        assert!(!rendered.is_empty(), "the compiler's error is shown");
        assert!(
            diagnoses.is_empty(),
            "nothing about Send to explain: {diagnoses:?}"
        );
    });
}

#[test]
fn an_endless_loop_is_stopped_by_the_watchdog() {
    checked("an_endless_loop_is_stopped_by_the_watchdog", || {
        let workshop = workshop("endless");
        let looping = solution_with(
            LOCK_LINE,
            &format!("        loop {{ std::hint::spin_loop(); }}\n{LOCK_LINE}"),
        );
        let report = attempt(&workshop, looping.as_bytes());
        assert!(
            matches!(&report.outcome, Outcome::Ran { run, .. } if run.verdict == Verdict::Blocked),
            "{report:?}"
        );
    });
}

#[test]
fn a_deadlock_is_caught_by_the_watchdog() {
    checked("a_deadlock_is_caught_by_the_watchdog", || {
        let workshop = workshop("deadlock");
        let twice = solution_with(
            LOCK_LINE,
            &format!("{LOCK_LINE}\n        let _again = app.verifiers.lock().unwrap();"),
        );
        let report = attempt(&workshop, twice.as_bytes());
        assert!(
            matches!(&report.outcome, Outcome::Ran { run, .. } if run.verdict == Verdict::Blocked),
            "{report:?}"
        );
    });
}

#[test]
fn a_panic_is_reported_with_its_message() {
    checked("a_panic_is_reported_with_its_message", || {
        let workshop = workshop("panic");
        let report = attempt(
            &workshop,
            read("proofs/runs-wrong/oauth-unwrap-unknown-state.rs").as_bytes(),
        );
        match &report.outcome {
            Outcome::Ran { run, .. } => match &run.verdict {
                Verdict::Panicked(message) => assert!(message.contains("unwrap"), "{message}"),
                other => panic!("expected a panic, got {other:?}"),
            },
            other => panic!("expected it to run, got {other:?}"),
        }
    });
}

#[test]
fn a_program_that_never_reaches_the_check_is_timed_out() {
    checked(
        "a_program_that_never_reaches_the_check_is_timed_out",
        || {
            let workshop = workshop("timeout");
            let stuck = solution_with(
                "fn main() {",
                "fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(3600));",
            );
            let exercise = workshop.find(LESSON).expect("the lesson exists");
            workshop.ensure_attempt(exercise).expect("a copy is made");
            fs::write(workshop.attempt_path(exercise), stuck).expect("written");
            let limits = Limits {
                process: Duration::from_secs(3),
                watchdog: None,
            };
            let report =
                attempt::check_within(&workshop, exercise, limits).expect("the check runs");
            assert!(
                matches!(&report.outcome, Outcome::Ran { run, .. } if matches!(run.verdict, Verdict::TimedOut(_))),
                "{report:?}"
            );
        },
    );
}

#[test]
fn a_deleted_file_is_reported_not_replaced() {
    checked("a_deleted_file_is_reported_not_replaced", || {
        let workshop = workshop("deleted");
        let exercise = workshop.find(LESSON).expect("the lesson exists");
        workshop.ensure_attempt(exercise).expect("a copy is made");
        fs::remove_file(workshop.attempt_path(exercise)).expect("deleted");
        let report = attempt::check(&workshop, exercise).expect("the check runs");
        assert!(matches!(report.outcome, Outcome::Missing), "{report:?}");
        assert!(
            !workshop.attempt_path(exercise).exists(),
            "a started exercise is not silently replaced"
        );
    });
}

#[test]
fn a_file_that_is_not_utf8_is_named_as_such() {
    checked("a_file_that_is_not_utf8_is_named_as_such", || {
        let workshop = workshop("not-utf8");
        let mut bytes = b"fn main() {\n    // caf".to_vec();
        bytes.extend([0xe9, b'\n', b'}', b'\n']);
        let report = attempt(&workshop, &bytes);
        assert!(
            matches!(report.outcome, Outcome::NotUtf8 { line: 2 }),
            "{report:?}"
        );
    });
}

#[test]
fn an_edited_harness_is_noticed() {
    checked("an_edited_harness_is_noticed", || {
        let workshop = workshop("harness");
        let edited = solution_with(
            "    checker::oauth::check(app);",
            "    // checker::oauth::check(app);",
        );
        let report = attempt(&workshop, edited.as_bytes());
        assert!(report.harness_edited, "{report:?}");
    });
}

#[test]
fn reset_keeps_a_backup_of_the_learners_work() {
    checked("reset_keeps_a_backup_of_the_learners_work", || {
        let workshop = workshop("reset");
        let exercise = workshop.find(LESSON).expect("the lesson exists");
        workshop.ensure_attempt(exercise).expect("a copy is made");
        let mine = "// my own attempt, half done\n";
        fs::write(workshop.attempt_path(exercise), mine).expect("written");

        commands::reset(&workshop, "1").expect("reset works");

        assert_eq!(
            read(exercise.source_rel()),
            fs::read_to_string(workshop.attempt_path(exercise)).expect("restored")
        );
        let backups: Vec<String> = fs::read_dir(workshop.dir.join("backups"))
            .expect("a backups folder")
            .flatten()
            .map(|e| fs::read_to_string(e.path()).expect("readable"))
            .collect();
        assert_eq!(backups, vec![mine.to_owned()]);
    });
}

#[test]
fn hints_come_one_more_at_a_time() {
    checked_showing_hints("hints_come_one_more_at_a_time", || {
        let workshop = workshop("hints");
        let mut progress = Progress::load(&workshop.dir).expect("loads");
        assert_eq!(progress.next_hint(LESSON, 3), 1);
        assert_eq!(progress.next_hint(LESSON, 3), 2);
        assert_eq!(progress.next_hint(LESSON, 3), 3);
        assert_eq!(progress.next_hint(LESSON, 3), 3);
    });
}

#[test]
fn explain_says_when_a_path_does_not_exist() {
    checked("explain_says_when_a_path_does_not_exist", || {
        let workshop = workshop("explain-missing");
        let err = explain_path(&workshop, &root().join("no/such/file.rs")).expect_err("an error");
        assert!(err.to_string().contains("does not exist"), "{err}");
    });
}

#[test]
fn explain_shows_the_first_error_of_a_project_broken_otherwise() {
    checked(
        "explain_shows_the_first_error_of_a_project_broken_otherwise",
        || {
            let project = root().join("target/test-workshops/broken-project");
            let _ = fs::remove_dir_all(&project);
            fs::create_dir_all(project.join("src")).expect("created");
            fs::write(
            project.join("Cargo.toml"),
            "[package]\nname = \"broken\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
        )
        .expect("written");
            fs::write(
                project.join("src/main.rs"),
                "fn main() {\n    let n: u32 = \"seven\";\n}\n",
            )
            .expect("written");
            let workshop = workshop("explain-project");
            let explained = explain_path(&workshop, &project).expect("explain runs");
            assert!(explained.diagnoses.is_empty());
            let first = explained.other_error.expect("the first error is shown");
            assert!(first.contains("mismatched types"), "{first}");
        },
    );
}

/// `explain` finds, in every exercise that fails to compile, the kind and shape its
/// manifest entry expects; on every exercise that compiles, it finds nothing (their
/// problems show at run time, and `check` names them from the manifest).
#[test]
fn explain_agrees_with_the_manifest_on_every_exercise() {
    checked(
        &format!(
            "explain_agrees_with_the_manifest_on_every_exercise{}",
            checker::material::manifest::scope()
        ),
        || {
            let workshop = workshop("explain-all");
            let mut disagreements = Vec::new();
            for exercise in &workshop.manifest.exercises {
                if !checker::material::manifest::is_checked(&exercise.id) {
                    continue;
                }
                let explained =
                    explain_path(&workshop, &exercise.source(&root())).expect("explain runs");
                if exercise.outcome == Expected::RunsWrong {
                    if !explained.compiled || !explained.diagnoses.is_empty() {
                        disagreements.push(format!(
                            "{}: compiles as shipped, but explain found {:?}",
                            exercise.id, explained.diagnoses
                        ));
                    }
                    continue;
                }
                let expected = &exercise.diagnosis;
                let found: Vec<String> = explained
                    .diagnoses
                    .iter()
                    .map(|d| format!("{}/{}", d.kind, d.shape))
                    .collect();
                // The exercise's own problem is among what explain finds (a value can spoil a future
                // in more than one way: a `RefCell` borrowed across an `.await` is also a `&RefCell`
                // captured by it), and nothing is reported twice.
                let agrees = explained
                    .diagnoses
                    .iter()
                    .any(|d| d.kind == expected.kind && d.shape == expected.shape)
                    && found.len() == explained.diagnoses.len();
                if !agrees {
                    disagreements.push(format!(
                        "{}: expected {}/{}, explain found {found:?}",
                        exercise.id, expected.kind, expected.shape
                    ));
                }
                // The fix is true to the book: what it names, the page it sends the learner to
                // shows (or links to a page that does), and the exercise's page leads there.
                for diagnosis in explained
                    .diagnoses
                    .iter()
                    .filter(|d| d.kind == expected.kind && d.shape == expected.shape)
                {
                    disagreements.extend(fix_problems(exercise, diagnosis));
                }
            }
            assert!(
                disagreements.is_empty(),
                "\n  {}",
                disagreements.join("\n  ")
            );
        },
    );
}

/// What is untrue in a diagnosis's fix for an exercise: code that neither its page nor the
/// pages it links to show (the exercise's own names aside), or a page the exercise's page
/// does not lead to.
fn fix_problems(
    exercise: &checker::material::manifest::Exercise,
    diagnosis: &checker::explain::Diagnosis,
) -> Vec<String> {
    let src = root().join("src");
    let read = |page: &std::path::Path| fs::read_to_string(page).unwrap_or_default();
    let target = src.join(&diagnosis.page);
    let own_page = read(&src.join(&exercise.page));
    let mut problems = Vec::new();
    let file_name = diagnosis.page.rsplit('/').next().unwrap_or(&diagnosis.page);
    if diagnosis.page != exercise.page && !own_page.contains(file_name) {
        problems.push(format!(
            "{}: explain sends the learner to {}, which its page {} never links to",
            exercise.id, diagnosis.page, exercise.page
        ));
    }
    // The page, and the pages it links to.
    let page = read(&target);
    let mut shown = page.clone();
    for link in page.split("](").skip(1) {
        let path = link.split([')', '#']).next().unwrap_or_default();
        if path.ends_with(".md") && !path.contains("://") {
            let linked = target.parent().map(|p| p.join(path)).unwrap_or_default();
            shown.push_str(&read(&linked));
        }
    }
    shown.push_str(&read(&exercise.source(&root())));
    for code in diagnosis.fix.split('`').skip(1).step_by(2) {
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .filter(|w| w.len() > 2 && w.chars().any(char::is_lowercase))
            .collect();
        let missing: Vec<&&str> = words.iter().filter(|w| !shown.contains(**w)).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "{}: the fix names `{code}`, but {} (and the pages it links to) never show \
                 {missing:?}",
                exercise.id, diagnosis.page
            ));
        }
    }
    problems
}

/// `watch --manual` reads keys as lines when its input is not a terminal: it checks the
/// current exercise, shows a hint on `h`, and stops on `q`.
#[test]
fn watch_takes_keys_and_quits() {
    checked_showing_hints("watch_takes_keys_and_quits", || {
        use std::io::Write;
        use std::process::{Command, Stdio};

        let workshop = workshop("watch");
        let mut child = Command::new(env!("CARGO_BIN_EXE_workshop"))
            .args(["watch", "--manual", "--workshop-dir"])
            .arg(&workshop.dir)
            .current_dir(root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("watch starts");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(b"h\nq\n")
            .expect("keys are sent");
        let output = child.wait_with_output().expect("watch ends");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}");
        assert!(stdout.contains("Checking 1 ·"), "{stdout}");
        assert!(stdout.contains("Hints for 1 ·"), "{stdout}");
    });
}

/// An exercise is found by its number in reading order, by its slug, and by the id it had
/// in the first edition; the number is its place in the book.
#[test]
fn exercises_are_found_by_number_slug_and_old_id() {
    checked("exercises_are_found_by_number_slug_and_old_id", || {
        let workshop = workshop("find");
        let by_number = workshop.find("2").expect("exercise 2 exists");
        assert_eq!(by_number.id, "proxy-route-lookup");
        assert_eq!(by_number.number, 2);
        let by_slug = workshop.find("proxy-route-lookup").expect("found by slug");
        let by_old_id = workshop
            .find("03-proxy-route-lookup")
            .expect("found by old id");
        assert_eq!(by_slug.id, by_number.id);
        assert_eq!(by_old_id.id, by_number.id);
        let numbers: Vec<usize> = workshop.in_book_order().iter().map(|e| e.number).collect();
        assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>());
    });
}

/// A working copy made by the first edition (files and progress named `NN-slug`, numbered
/// in the order the exercises were written) comes through the update with nothing lost.
#[test]
fn a_first_edition_workshop_is_migrated_and_loses_nothing() {
    checked(
        "a_first_edition_workshop_is_migrated_and_loses_nothing",
        || {
            let dir = root().join("target/test-workshops/first-edition");
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join("exercises")).expect("the folder is made");
            let copies = dir.join("exercises");
            fs::write(copies.join("03-proxy-route-lookup.rs"), "// my proxy\n").expect("written");
            fs::write(
                copies.join("01-oauth-callback.rs"),
                "// my first callback\n",
            )
            .expect("written");
            // Already copied under its new name too: the old copy must be kept, not overwritten.
            fs::write(copies.join("oauth-callback.rs"), "// my newer callback\n").expect("written");
            fs::write(
            dir.join("progress.toml"),
            "[exercises.03-proxy-route-lookup]\nstarted = true\nhints_shown = 2\nsolved_once = true\n\n\
             [exercises.01-oauth-callback]\nstarted = true\nhints_shown = 1\n",
        )
        .expect("written");

            let workshop = Workshop::open_at(&root(), &dir).expect("the old working copy opens");
            assert_eq!(read(copies.join("proxy-route-lookup.rs")), "// my proxy\n");
            assert_eq!(
                read(copies.join("oauth-callback.rs")),
                "// my newer callback\n"
            );
            assert_eq!(
                read(dir.join("backups/01-oauth-callback.first-edition.rs")),
                "// my first callback\n"
            );
            assert!(!copies.join("03-proxy-route-lookup.rs").exists());
            assert!(!copies.join("01-oauth-callback.rs").exists());

            let progress = Progress::load(&workshop.dir).expect("progress loads");
            assert!(progress.has_started("proxy-route-lookup"));
            assert!(progress.was_solved("proxy-route-lookup"));
            assert!(progress.has_started("oauth-callback"));
            assert_eq!(progress.ids().filter(|id| id.starts_with('0')).count(), 0);

            // The learner's progress view lists the migrated copy as their own work, not a fresh one.
            let mut progress = progress;
            assert_eq!(progress.next_hint("proxy-route-lookup", 3), 3);

            // Opening again changes nothing.
            Workshop::open_at(&root(), &dir).expect("opens again");
            assert_eq!(read(copies.join("proxy-route-lookup.rs")), "// my proxy\n");
        },
    );
}

/// Bad input to `explain` gets exit code 3 and its reason, in JSON too: a missing file, a
/// file that is not UTF-8, a file that is not Rust.
#[test]
fn explain_gives_bad_input_exit_3_and_a_reason() {
    checked("explain_gives_bad_input_exit_3_and_a_reason", || {
        use std::process::Command;
        let workshop = workshop("explain-bad-input");
        let dir = workshop.dir.join("inputs");
        fs::create_dir_all(&dir).expect("a folder");
        fs::write(dir.join("latin1.rs"), b"// caf\xe9\nfn main() {}\n").expect("written");
        fs::write(dir.join("notes.rs"), "These are notes, not Rust.\n").expect("written");
        for (file, reason) in [
            ("missing.rs", "does not exist"),
            ("latin1.rs", "UTF-8"),
            ("notes.rs", "expected"),
        ] {
            let output = Command::new(env!("CARGO_BIN_EXE_workshop"))
                .args(["explain", "--json", "--workshop-dir"])
                .arg(&workshop.dir)
                .arg(dir.join(file))
                .current_dir(root())
                .output()
                .expect("the tool runs");
            assert_eq!(output.status.code(), Some(3), "{file}");
            let json: serde_json::Value =
                serde_json::from_slice(&output.stdout).expect("JSON on stdout");
            let error = json["other_error"].as_str().unwrap_or_default();
            assert!(error.contains(reason), "{file}: {error}");
        }
    });
}
