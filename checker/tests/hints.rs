//! Hints are true to the code: every identifier a hint names in backticks exists in the
//! exercise, one of its solutions, its pinned error, or the lesson module it uses. A hint
//! that names a type the code does not have sends the learner looking for nothing (or,
//! pasted, gives them an error of its own).
//!
//! Three kinds of name need no file of the exercise: a type variable of one capital letter
//! (`&T`); a type of std or tokio that a pinned error of the material quotes by its full
//! path (`std::sync::MutexGuard`), which is what a `lock()` returns; and a clippy lint that
//! the material's clippy proofs show (`clippy::await_holding_invalid_type`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use checker::material::manifest::{Exercise, Manifest};

/// Words of the language itself, which no file needs to define.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The identifiers in the backticked spans of `text`, without keywords and lifetimes.
fn named_identifiers(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (index, span) in text.split('`').enumerate() {
        if index % 2 == 0 {
            continue;
        }
        let mut word = String::new();
        let mut previous = ' ';
        let mut starts_after = ' ';
        for c in span.chars().chain([' ']) {
            if c.is_alphanumeric() || c == '_' {
                if word.is_empty() {
                    starts_after = previous;
                }
                word.push(c);
            } else if !word.is_empty() {
                let lifetime = starts_after == '\'';
                let number = word.starts_with(|c: char| c.is_ascii_digit());
                if !lifetime && !number && !KEYWORDS.contains(&word.as_str()) {
                    names.push(std::mem::take(&mut word));
                }
                word.clear();
            }
            previous = c;
        }
    }
    names
}

/// The words (identifiers) of a text.
fn words(text: &str) -> BTreeSet<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The text a hint of `exercise` may name things from.
fn known_text(root: &Path, exercise: &Exercise) -> String {
    let mut files = vec![exercise.source(root), exercise.stderr(root)];
    files.extend(
        exercise
            .solutions
            .iter()
            .map(|s| root.join("solutions").join(&s.file)),
    );
    let mut text = String::new();
    for file in &files {
        text.push_str(&fs::read_to_string(file).unwrap_or_default());
        text.push('\n');
    }
    // The lesson modules the exercise and its solutions use: `checker::uploads::…`.
    let lessons: BTreeSet<String> = text
        .match_indices("checker::")
        .filter_map(|(at, found)| {
            let rest = &text[at + found.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect();
    for lesson in lessons {
        let path = root
            .join("checker/src/lessons")
            .join(format!("{lesson}.rs"));
        text.push_str(&fs::read_to_string(path).unwrap_or_default());
        text.push('\n');
    }
    text
}

/// Every file under `dir` whose name ends with `suffix`, read.
fn texts_under(dir: &Path, suffix: &str, out: &mut String) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            texts_under(&path, suffix, out);
        } else if path.to_string_lossy().ends_with(suffix) {
            out.push_str(&fs::read_to_string(&path).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// The segments of every path in `text` that starts with one of `crates` (`std::sync::X`
/// gives `sync` and `X`).
fn path_segments<'a>(text: &'a str, crates: &[&str]) -> BTreeSet<&'a str> {
    let mut found = BTreeSet::new();
    for token in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
        let mut segments = token.split("::");
        if segments.next().is_some_and(|first| crates.contains(&first)) {
            found.extend(segments.filter(|s| !s.is_empty()));
        }
    }
    found
}

/// Names that every hint may use: see the module's comment.
fn library_names(root: &Path) -> BTreeSet<String> {
    let mut errors = String::new();
    texts_under(&root.join("exercises"), ".stderr", &mut errors);
    texts_under(&root.join("proofs"), ".stderr", &mut errors);
    let mut lints = String::new();
    texts_under(&root.join("proofs/clippy-lints"), ".rs", &mut lints);
    texts_under(&root.join("proofs/clippy-lints"), ".stderr", &mut lints);
    let mut names: BTreeSet<String> = path_segments(&errors, &["std", "core", "alloc", "tokio"])
        .into_iter()
        .map(str::to_owned)
        .collect();
    names.extend(
        path_segments(&lints, &["clippy"])
            .into_iter()
            .map(str::to_owned),
    );
    names
}

fn is_type_variable(name: &str) -> bool {
    name.len() == 1 && name.chars().all(|c| c.is_ascii_uppercase())
}

#[test]
fn every_identifier_a_hint_names_is_in_the_exercises_code() {
    let root = root();
    let manifest = Manifest::load(&root).expect("the manifest loads");
    let library = library_names(&root);
    let mut problems = Vec::new();
    for exercise in &manifest.exercises {
        let known = known_text(&root, exercise);
        let known = words(&known);
        for (n, hint) in exercise.hints.iter().enumerate() {
            for name in named_identifiers(hint) {
                let anywhere = library.contains(&name) || is_type_variable(&name);
                if !known.contains(name.as_str()) && !anywhere {
                    problems.push(format!(
                        "{}: hint {} names `{name}`, which is not in the exercise, its \
                         solutions, its pinned error or its lesson",
                        exercise.id,
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

/// The check finds what it is for: a name the code does not have.
#[test]
fn a_hint_naming_a_type_the_code_lacks_is_found() {
    let root = root();
    let manifest = Manifest::load(&root).expect("the manifest loads");
    let exercise = manifest
        .get("uploads-boxed-future")
        .expect("the exercise exists");
    let known = known_text(&root, exercise);
    let known = words(&known);
    let hint = "Fix it: `type PutFuture<'a> = BoxFuture<'a, Result<(), BucketError>>;`";
    let missing: Vec<String> = named_identifiers(hint)
        .into_iter()
        .filter(|name| !known.contains(name.as_str()))
        .collect();
    assert_eq!(missing, ["BucketError"]);
}

/// A library's names are taken from full paths only, so a lesson's own type is not among
/// them just because an error mentions it.
#[test]
fn library_names_come_from_full_paths() {
    let names = path_segments(
        "the type `std::sync::MutexGuard<'_, Bucket>`; clippy::await_holding_lock",
        &["std", "clippy"],
    );
    assert!(names.contains("MutexGuard") && names.contains("await_holding_lock"));
    assert!(!names.contains("Bucket"));
    let library = library_names(&root());
    assert!(library.contains("MutexGuard"));
    assert!(!library.contains("BucketError") && !library.contains("ObjectStore"));
}

#[test]
fn identifiers_are_read_from_backticks_only() {
    assert_eq!(
        named_identifiers("the `Store` of `Arc<dyn Store + 'a>` and Bucket, `0u8`"),
        ["Store", "Arc", "Store"]
    );
}
