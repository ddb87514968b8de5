//! What clippy says about values held across an `.await`, checked against clippy itself.
//!
//! `proofs/clippy-lints/` is a package of its own, outside the root workspace (its
//! Cargo.toml says why): every module in its `src/` holds a mistake and its fixed version.
//! A comment `// warns on the next line: clippy::<lint>` marks each line where clippy must
//! warn. This test runs `cargo clippy` on the package, built into the root's `target/` so
//! that the dependencies they share are built once, and checks that
//!
//! * each marked line draws its lint, and no other line draws anything (so the fixed
//!   versions are clean);
//! * each module's warnings, as clippy prints them, are exactly its `.stderr` file (the
//!   book includes those files, so readers see what this clippy prints);
//! * the package's files are formatted.
//!
//! After a deliberate change, re-record the `.stderr` files with
//! `TRYBUILD=overwrite cargo test --test clippy_lints` (the variable trybuild uses for the
//! pinned compiler errors), and read the diff before committing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::Duration;

/// Room for a cold build of the package's few dependencies; a warm run takes a second.
const LIMIT: Duration = Duration::from_secs(600);

/// The comment that marks a line where clippy must warn; the lint's name follows it.
const MARKER: &str = "// warns on the next line: ";

/// A warning: the file it points at (relative to the package), the line, the lint.
type Warning = (String, usize, String);

fn package() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("proofs/clippy-lints")
}

#[test]
fn each_lint_fires_where_marked_and_prints_its_pinned_output() {
    let package = package();
    let (status, stdout, stderr) = cargo_clippy_json(&package);
    assert!(
        status.success(),
        "cargo clippy failed on proofs/clippy-lints:\n{stderr}"
    );

    let mut actual = BTreeSet::new();
    let mut rendered: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let diagnostic = &message["message"];
        let Some(primary) = diagnostic["spans"]
            .as_array()
            .and_then(|spans| spans.iter().find(|span| span["is_primary"] == true))
        else {
            continue; // the "N warnings emitted" summary points nowhere
        };
        let file = primary["file_name"].as_str().unwrap_or_default().to_owned();
        let line = primary["line_start"].as_u64().unwrap_or_default() as usize;
        let lint = diagnostic["code"]["code"]
            .as_str()
            .unwrap_or("(no lint name)")
            .to_owned();
        actual.insert((file.clone(), line, lint));
        let text = diagnostic["rendered"].as_str().unwrap_or_default();
        rendered
            .entry(file)
            .or_default()
            .push(normalize(text, &package));
    }

    let sources = rust_files(&package.join("src"));
    let expected: BTreeSet<Warning> = sources
        .iter()
        .flat_map(|file| markers(&package, file))
        .collect();
    let missing: Vec<&Warning> = expected.difference(&actual).collect();
    let unexpected: Vec<&Warning> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "clippy's warnings on proofs/clippy-lints differ from the `{MARKER}…` comments\n\
         expected but not emitted: {missing:?}\nemitted but not expected: {unexpected:?}\n\n\
         {stderr}"
    );

    let overwrite = std::env::var_os("TRYBUILD").is_some_and(|v| v == "overwrite");
    let mut differences = Vec::new();
    for file in &sources {
        let pinned = package.join(file).with_extension("stderr");
        let now = rendered.get(file).map(|texts| texts.join("\n"));
        let before = std::fs::read_to_string(&pinned).ok();
        if now == before {
            continue;
        }
        if overwrite {
            match &now {
                Some(text) => std::fs::write(&pinned, text).expect("the .stderr is writable"),
                None => std::fs::remove_file(&pinned).expect("the stale .stderr is removable"),
            }
            eprintln!("re-recorded {}", pinned.display());
        } else {
            differences.push(format!(
                "{}\n--- pinned\n{}\n--- clippy now\n{}",
                pinned.display(),
                before.as_deref().unwrap_or("(no file)"),
                now.as_deref()
                    .unwrap_or("(no warnings: there should be no file)"),
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "clippy's output no longer matches the pinned .stderr files, which the book \
         includes.\nIf the change is deliberate, re-record them with \
         `TRYBUILD=overwrite cargo test --test clippy_lints` and read the diff.\n\n{}",
        differences.join("\n\n")
    );
}

#[test]
fn the_package_is_formatted() {
    let package = package();
    let files = rust_files(&package.join("src"));
    let status = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args(&files)
        .current_dir(&package)
        .status()
        .expect("rustfmt runs");
    assert!(
        status.success(),
        "run rustfmt --edition 2024 on proofs/clippy-lints/src"
    );
}

/// The lints a source file expects, from its marker comments: each names the next line.
fn markers(package: &Path, file: &str) -> Vec<Warning> {
    let text = std::fs::read_to_string(package.join(file)).expect("the source is readable");
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let lint = line.trim_start().strip_prefix(MARKER)?;
            // `index` counts from 0, so the next line's number is `index + 2`.
            Some((file.to_owned(), index + 2, lint.trim().to_owned()))
        })
        .collect()
}

/// Clippy's text as the book shows it: no trailing blank lines, and no absolute paths (in
/// case a future cargo prints them).
fn normalize(text: &str, package: &Path) -> String {
    let prefix = format!("{}/", package.display());
    let mut text = text.replace(&prefix, "").trim_end().to_owned();
    text.push('\n');
    text
}

/// The `.rs` files of `dir`, relative to the package (`src/local.rs`), sorted.
fn rust_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("proofs/clippy-lints/src exists")
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .map(|name| format!("src/{name}"))
        .collect();
    files.sort();
    files
}

/// Runs `cargo clippy --message-format=json` on the package; returns how it ended, its
/// JSON messages and what it printed on stderr.
fn cargo_clippy_json(package: &Path) -> (ExitStatus, String, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args([
            "clippy",
            "--locked",
            "--message-format=json",
            "--manifest-path",
        ])
        .arg(package.join("Cargo.toml"))
        .current_dir(package)
        // Flags meant for another build (trybuild sets some) would change every
        // fingerprint and rebuild the shared dependencies; clippy settings from outside
        // would change what it reports.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CLIPPY_CONF_DIR")
        .env_remove("CLIPPY_DISABLE_DOCS_LINKS");
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        command.env("CARGO_TARGET_DIR", root.join("target"));
    }

    let finished = checker::harness::run::capture(command, LIMIT).expect("cargo starts");
    let Some(status) = finished.status else {
        panic!("cargo clippy on proofs/clippy-lints did not finish within {LIMIT:?}");
    };
    (status, finished.stdout, finished.stderr)
}
