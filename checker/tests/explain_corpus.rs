//! `explain` on programs from the real world: each file in `checker/tests/explain-corpus/`
//! reproduces the shape of a public report (its link is in the file's first line) and says
//! what `explain` must find, in comment lines read here:
//!
//! ```text
//! // expect: compiles
//! // expect: kind=KIND shape=SHAPE culprit=`SUBSTRING` value=SUBSTRING-or--
//! // expect-line: await=LINE
//! ```
//!
//! Every expected diagnosis must be found, nothing else may be, and a program that fails
//! for a `Send` reason must never be called "not because a future is not `Send`".

use checker::material::verdicts::{Inputs, replay_or_run_test};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use checker::explain::Diagnosis;
use checker::workshop::Workshop;
use checker::workshop::explain_file::{Explained, explain_path};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a check unless it passed before with the same inputs: see
/// `checker::material::verdicts`.
fn checked(name: &str, check: impl FnOnce()) {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    let inputs = INPUTS.get_or_init(|| {
        // Not the exercises' files: explain's scratch package is made from the manifest
        // (never its hints), the workshop's template and the checker's code; of the book,
        // it reads the titles of the pages it links to, from SUMMARY.md.
        Inputs::new(&root())
            .path_but_hints("exercises/exercises.toml")
            .paths(&[
                "workshop",
                "checker/src",
                "checker/tests/explain-corpus",
                "src/SUMMARY.md",
            ])
    });
    replay_or_run_test(&format!("explain_corpus::{name}"), inputs, check);
}

#[derive(Debug, Default)]
struct Expected {
    compiles: bool,
    diagnoses: Vec<ExpectedDiagnosis>,
    await_lines: Vec<usize>,
}

#[derive(Debug, Default)]
struct ExpectedDiagnosis {
    kind: String,
    shape: String,
    culprit: Option<String>,
    value: Option<String>,
}

fn expectations(source: &str) -> Result<Expected, String> {
    let mut expected = Expected::default();
    for line in source.lines().take_while(|l| l.starts_with("//")) {
        if let Some(rest) = line.strip_prefix("// expect-line:") {
            for item in rest.split_whitespace() {
                if let Some(n) = item.strip_prefix("await=") {
                    expected
                        .await_lines
                        .push(n.parse().map_err(|_| format!("bad line {n:?}"))?);
                }
            }
        } else if let Some(rest) = line.strip_prefix("// expect:") {
            let rest = rest.trim();
            if rest == "compiles" {
                expected.compiles = true;
                continue;
            }
            let mut diagnosis = ExpectedDiagnosis::default();
            let mut rest = rest;
            while let Some((key, after)) = rest.split_once('=') {
                let key = key.trim();
                let (value, next) = if let Some(quoted) = after.strip_prefix('`') {
                    let (value, next) = quoted.split_once('`').ok_or("an unclosed `")?;
                    (value.to_owned(), next)
                } else {
                    let end = after.find(' ').unwrap_or(after.len());
                    (after[..end].to_owned(), &after[end..])
                };
                match key {
                    "kind" => diagnosis.kind = value,
                    "shape" => diagnosis.shape = value,
                    "culprit" => diagnosis.culprit = Some(value),
                    "value" if value != "-" => diagnosis.value = Some(value),
                    "value" => {}
                    other => return Err(format!("unknown key {other:?}")),
                }
                rest = next;
            }
            expected.diagnoses.push(diagnosis);
        }
    }
    if !expected.compiles && expected.diagnoses.is_empty() {
        return Err("no `// expect:` line".into());
    }
    Ok(expected)
}

fn matches(found: &Diagnosis, wanted: &ExpectedDiagnosis) -> bool {
    found.kind.to_string() == wanted.kind
        && found.shape.to_string() == wanted.shape
        && wanted.culprit.as_ref().is_none_or(|c| {
            found
                .culprit
                .as_deref()
                .is_some_and(|f| f.contains(c.as_str()))
                || found.chain.iter().any(|t| t.contains(c.as_str()))
        })
        && wanted.value.as_ref().is_none_or(|v| {
            found
                .binding
                .as_deref()
                .is_some_and(|b| b.contains(v.as_str()))
        })
}

/// What is wrong with `explained` for a program that expects `expected`, if anything.
fn verdict(expected: &Expected, explained: &Explained) -> Option<String> {
    let found: Vec<String> = explained
        .diagnoses
        .iter()
        .map(|d| {
            format!(
                "{}/{} culprit={:?} value={:?} line={:?} await={:?}",
                d.kind,
                d.shape,
                d.culprit,
                d.binding,
                d.value_line,
                d.await_line()
            )
        })
        .collect();
    if expected.compiles {
        return (!explained.compiled).then(|| format!("expected it to compile, found {found:?}"));
    }
    if explained.diagnoses.is_empty() {
        return Some(format!(
            "expected {:?}, found no diagnosis (other error: {:?})",
            expected.diagnoses,
            explained.other_error.as_deref().map(|e| e.lines().next())
        ));
    }
    for wanted in &expected.diagnoses {
        if !explained.diagnoses.iter().any(|d| matches(d, wanted)) {
            return Some(format!("expected {wanted:?}, found {found:?}"));
        }
    }
    // Nothing of another kind or shape: one value may be reported in several places, but
    // each report must say the same thing.
    let stray = explained.diagnoses.iter().find(|d| {
        !expected
            .diagnoses
            .iter()
            .any(|w| d.kind.to_string() == w.kind && d.shape.to_string() == w.shape)
    });
    if let Some(stray) = stray {
        return Some(format!(
            "found a diagnosis nobody expected: {}/{} ({found:?})",
            stray.kind, stray.shape
        ));
    }
    for line in &expected.await_lines {
        if !explained
            .diagnoses
            .iter()
            .any(|d| d.await_line() == Some(*line))
        {
            return Some(format!(
                "expected an `.await` on line {line}, found {found:?}"
            ));
        }
    }
    None
}

fn programs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("checker/tests/explain-corpus"))
        .expect("the corpus is there")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_header_format_is_read() {
    checked("the_header_format_is_read", || {
        let expected = expectations(
            "// Reproduces: https://example.org — x\n\
             // expect: kind=dyn-trait shape=held-across-await culprit=`dyn Notifier + 'static` value=n\n\
             // expect-line: await=12\nfn main() {}\n",
        )
        .expect("a valid header");
        assert_eq!(expected.diagnoses[0].kind, "dyn-trait");
        assert_eq!(
            expected.diagnoses[0].culprit.as_deref(),
            Some("dyn Notifier + 'static")
        );
        assert_eq!(expected.diagnoses[0].value.as_deref(), Some("n"));
        assert_eq!(expected.await_lines, [12]);
        assert!(expectations("fn main() {}\n").is_err());
    });
}

/// Two working copies, one per core, each compiling its half of the corpus.
#[test]
fn explain_gives_the_expected_diagnosis_for_every_program() {
    checked(
        "explain_gives_the_expected_diagnosis_for_every_program",
        || {
            let files = programs();
            assert!(files.len() >= 25, "a corpus of at least 25 programs");
            let failures = Mutex::new(Vec::new());
            let chunks: Vec<&[PathBuf]> = files.chunks(files.len().div_ceil(2)).collect();
            std::thread::scope(|scope| {
                for (n, chunk) in chunks.iter().enumerate() {
                    let failures = &failures;
                    scope.spawn(move || {
                        let dir = root().join(format!("target/test-workshops/corpus-{n}"));
                        let _ = fs::remove_dir_all(&dir);
                        let workshop = Workshop::open_at(&root(), &dir).expect("a working copy");
                        for file in chunk.iter() {
                            let outcome = check_one(&workshop, file);
                            if let Err(problem) = outcome {
                                failures
                                    .lock()
                                    .expect("not poisoned")
                                    .push(format!("{}: {problem}", name(file)));
                            }
                        }
                    });
                }
            });
            let failures = failures.into_inner().expect("not poisoned");
            println!(
                "explain corpus: {} of {} programs diagnosed as expected",
                files.len() - failures.len(),
                files.len()
            );
            if let Some(record) = std::env::var_os("EXPLAIN_CORPUS_RECORD") {
                record_run(
                    Path::new(&record),
                    files.len(),
                    files.len() - failures.len(),
                );
            }
            assert!(failures.is_empty(), "\n  {}", failures.join("\n  "));
        },
    );
}

/// Appends this run to `record` (the book renders `checker/tests/explain-corpus/runs.toml`):
/// the compiler that ran, the day, and how many programs got their expected diagnosis.
fn record_run(record: &Path, programs: usize, as_expected: usize) {
    use std::io::Write as _;
    let version = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .expect("rustc runs");
    let run = checker::material::figures::CorpusRun {
        compiler: String::from_utf8_lossy(&version.stdout).trim().to_owned(),
        date: humantime::format_rfc3339(std::time::SystemTime::now()).to_string()[..10].to_owned(),
        programs,
        as_expected,
        json_unchanged: None,
    };
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(record)
        .expect("the record opens");
    file.write_all(run.to_toml().as_bytes())
        .expect("the run is recorded");
}

fn check_one(workshop: &Workshop, file: &Path) -> Result<(), String> {
    let source = fs::read_to_string(file).map_err(|e| e.to_string())?;
    let expected = expectations(&source)?;
    let explained = explain_path(workshop, file).map_err(|e| format!("{e:#}"))?;
    match verdict(&expected, &explained) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

fn name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The example in the book's appendix "explain's JSON" is what `explain --json` prints for
/// one program of the corpus (`TRYBUILD=overwrite`, as `cargo xtask bless` sets, rewrites it).
#[test]
fn the_book_s_json_example_is_what_explain_prints() {
    checked("the_book_s_json_example_is_what_explain_prints", || {
        let program = root().join("checker/tests/explain-corpus/std-mutex-in-helper.rs");
        let pinned = program.with_extension("json");
        let dir = root().join("target/test-workshops/corpus-json");
        let _ = fs::remove_dir_all(&dir);
        let workshop = Workshop::open_at(&root(), &dir).expect("a working copy");
        let explained = explain_path(&workshop, &program).expect("explain runs");
        let json = serde_json::json!({
            "diagnoses": explained.diagnoses,
            "compiles": explained.compiled,
            "other_error": explained.other_error,
        });
        let prefix = format!("{}/", root().display());
        let printed = serde_json::to_string_pretty(&json)
            .expect("JSON")
            .replace(&prefix, "")
            + "\n";
        if std::env::var("TRYBUILD").as_deref() == Ok("overwrite") {
            fs::write(&pinned, &printed).expect("the example is written");
        }
        let expected = fs::read_to_string(&pinned).unwrap_or_default();
        assert_eq!(
            printed, expected,
            "explain's JSON changed: rerun with TRYBUILD=overwrite and review the diff"
        );
    });
}
