//! The one description of every exercise: `exercises/exercises.toml`.
//!
//! The material tests, the learner's CLI and the book all read this file, so an exercise's
//! title, page, hints, expected outcome and solutions are written down exactly once.
//! [`Manifest::problems`] lists every way the manifest and the files on disk disagree.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// Where the manifest lives, relative to the repository's root.
pub const MANIFEST_PATH: &str = "exercises/exercises.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(rename = "exercise")]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `NN-slug`: the file is `exercises/NN-slug.rs`.
    pub id: String,
    pub title: String,
    /// The book page that teaches it, relative to `src/`.
    pub page: String,
    pub outcome: Outcome,
    /// What the learner should see once they look closely: which value, held how.
    pub diagnosis: Diagnosis,
    /// For `runs-wrong`: words the failing verdict must contain, so the test proves the
    /// exercise fails for the reason it is about, not for another.
    #[serde(default)]
    pub fails_with: Option<String>,
    /// From a gentle nudge to nearly the answer.
    pub hints: Vec<String>,
    #[serde(rename = "solution")]
    pub solutions: Vec<Solution>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Fails to compile as shipped, with the diagnostic pinned in `exercises/NN-slug.stderr`.
    CompileFail,
    /// Compiles as shipped, but its behaviour check fails.
    RunsWrong,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    pub kind: Kind,
    pub shape: Shape,
}

/// What the value that spoils the future is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    StdMutexGuard,
    StdRwlockGuard,
    RefcellBorrow,
    Rc,
    ThreadRng,
    DynError,
    ParkingLotGuard,
    Other,
    None,
}

/// How that value comes to be held where it hurts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    HeldAcrossAwait,
    DroppedAfterBorrow,
    TemporaryInStatement,
    MatchScrutinee,
    IfLetScrutinee,
    Captured,
    NotStatic,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    /// `NN-slug.rs`, or `NN-slug--variant.rs` when several fixes are worth showing.
    pub file: String,
    /// One line: what this solution does differently.
    pub note: String,
}

impl Manifest {
    /// Reads the manifest of the repository at `root`.
    pub fn load(root: &Path) -> Result<Manifest> {
        let path = root.join(MANIFEST_PATH);
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn get(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    /// Every disagreement between the manifest and the files under `root`.
    pub fn problems(&self, root: &Path) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        let summary = fs::read_to_string(root.join("src/SUMMARY.md")).unwrap_or_default();

        for (position, exercise) in self.exercises.iter().enumerate() {
            let id = &exercise.id;
            if !ids.insert(id.as_str()) {
                problems.push(format!("{id}: listed twice"));
            }
            if !is_valid_id(id) {
                problems.push(format!(
                    "{id}: an id is two digits, a dash and a kebab-case slug"
                ));
            } else if number(id) != position + 1 {
                problems.push(format!(
                    "{id}: exercise number {position_one} is expected here (ids follow the order of the manifest)",
                    position_one = position + 1
                ));
            }
            if !exercise.source(root).is_file() {
                problems.push(format!("{id}: missing {}", exercise.source_rel()));
            }
            let stderr = exercise.stderr(root);
            match exercise.outcome {
                Outcome::CompileFail if !stderr.is_file() => problems.push(format!(
                    "{id}: a compile-fail exercise needs its pinned error in exercises/{id}.stderr \
                     (record it with `cargo xtask bless`)"
                )),
                Outcome::RunsWrong if stderr.exists() => problems.push(format!(
                    "{id}: a runs-wrong exercise compiles, so exercises/{id}.stderr should not exist"
                )),
                _ => {}
            }
            match (exercise.outcome, &exercise.fails_with) {
                (Outcome::RunsWrong, None) => problems.push(format!(
                    "{id}: a runs-wrong exercise needs `fails_with`, words its failing verdict contains"
                )),
                (Outcome::CompileFail, Some(_)) => problems.push(format!(
                    "{id}: `fails_with` is for runs-wrong exercises only"
                )),
                _ => {}
            }
            if exercise.hints.len() < 2 {
                problems.push(format!(
                    "{id}: at least two hints, the last nearly the answer"
                ));
            }
            if exercise.solutions.is_empty() {
                problems.push(format!("{id}: at least one solution"));
            }
            for solution in &exercise.solutions {
                let file = &solution.file;
                let stem = file.strip_suffix(".rs").unwrap_or(file);
                let named_well = stem == id.as_str()
                    || stem
                        .strip_prefix(id.as_str())
                        .and_then(|rest| rest.strip_prefix("--"))
                        .is_some_and(is_slug);
                if !named_well {
                    problems.push(format!(
                        "{id}: solution {file} should be named {id}.rs or {id}--variant.rs"
                    ));
                }
                if !root.join("solutions").join(file).is_file() {
                    problems.push(format!("{id}: missing solutions/{file}"));
                }
                if solution.note.trim().is_empty() {
                    problems.push(format!("{id}: solution {file} needs a one-line note"));
                }
            }
            if !root.join("src").join(&exercise.page).is_file() {
                problems.push(format!(
                    "{id}: its page src/{} does not exist",
                    exercise.page
                ));
            } else if !summary.contains(&format!("]({})", exercise.page)) {
                problems.push(format!(
                    "{id}: its page {} is not listed in src/SUMMARY.md",
                    exercise.page
                ));
            }
        }

        problems.extend(self.orphans(root));
        problems
    }

    /// Files in `exercises/` and `solutions/` that no manifest entry mentions.
    fn orphans(&self, root: &Path) -> Vec<String> {
        let mut known = BTreeSet::new();
        known.insert(PathBuf::from(MANIFEST_PATH));
        for exercise in &self.exercises {
            known.insert(PathBuf::from(exercise.source_rel()));
            if exercise.outcome == Outcome::CompileFail {
                known.insert(PathBuf::from(format!("exercises/{}.stderr", exercise.id)));
            }
            for solution in &exercise.solutions {
                known.insert(Path::new("solutions").join(&solution.file));
            }
        }
        let mut orphans = Vec::new();
        for folder in ["exercises", "solutions"] {
            let Ok(entries) = fs::read_dir(root.join(folder)) else {
                orphans.push(format!("{folder}/ is missing"));
                continue;
            };
            for entry in entries.flatten() {
                let rel = Path::new(folder).join(entry.file_name());
                if !known.contains(&rel) {
                    orphans.push(format!(
                        "{}: not in the manifest (add an entry or remove the file)",
                        rel.display()
                    ));
                }
            }
        }
        orphans.sort();
        orphans
    }
}

impl Exercise {
    /// `exercises/NN-slug.rs`, relative to the root.
    pub fn source_rel(&self) -> String {
        format!("exercises/{}.rs", self.id)
    }

    pub fn source(&self, root: &Path) -> PathBuf {
        root.join(self.source_rel())
    }

    pub fn stderr(&self, root: &Path) -> PathBuf {
        root.join(format!("exercises/{}.stderr", self.id))
    }
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::StdMutexGuard,
        Kind::StdRwlockGuard,
        Kind::RefcellBorrow,
        Kind::Rc,
        Kind::ThreadRng,
        Kind::DynError,
        Kind::ParkingLotGuard,
        Kind::Other,
        Kind::None,
    ];

    /// What values of this kind are, in a few words.
    pub fn meaning(self) -> &'static str {
        match self {
            Kind::StdMutexGuard => "a `std::sync::MutexGuard`",
            Kind::StdRwlockGuard => "a `std::sync::RwLockReadGuard` or `RwLockWriteGuard`",
            Kind::RefcellBorrow => "a `Ref` or `RefMut` from a `RefCell`",
            Kind::Rc => "an `Rc`, or a value that contains one",
            Kind::ThreadRng => "rand's thread-local generator, `ThreadRng`",
            Kind::DynError => "a `Box<dyn Error>` without `+ Send`",
            Kind::ParkingLotGuard => "a parking_lot guard (without its `send_guard` feature)",
            Kind::Other => "another value that is not `Send`, or a guard held too long",
            Kind::None => "no value: the problem is a borrow, not `Send`",
        }
    }
}

impl Shape {
    pub const ALL: [Shape; 7] = [
        Shape::HeldAcrossAwait,
        Shape::DroppedAfterBorrow,
        Shape::TemporaryInStatement,
        Shape::MatchScrutinee,
        Shape::IfLetScrutinee,
        Shape::Captured,
        Shape::NotStatic,
    ];

    /// How a value comes to be held, in a few words.
    pub fn meaning(self) -> &'static str {
        match self {
            Shape::HeldAcrossAwait => "a variable still in scope at the `.await`",
            Shape::DroppedAfterBorrow => {
                "a variable passed to `drop()` before the `.await`, after being borrowed"
            }
            Shape::TemporaryInStatement => {
                "a temporary in the statement that contains the `.await`"
            }
            Shape::MatchScrutinee => {
                "a temporary in a `match` scrutinee, with an `.await` in an arm"
            }
            Shape::IfLetScrutinee => {
                "a temporary in an `if let` scrutinee, with an `.await` in the `else` (edition 2021)"
            }
            Shape::Captured => "a value moved into the future (an `async move` block, a task)",
            Shape::NotStatic => "a local borrowed by a task that may outlive it (E0373)",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The same words as in the manifest and in `explain --json`.
        let text = serde_json::to_value(self).map_err(|_| fmt::Error)?;
        f.write_str(text.as_str().unwrap_or_default())
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_value(self).map_err(|_| fmt::Error)?;
        f.write_str(text.as_str().unwrap_or_default())
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::CompileFail => "compile-fail",
            Outcome::RunsWrong => "runs-wrong",
        })
    }
}

fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.len() > 3
        && bytes[0].is_ascii_digit()
        && bytes[1].is_ascii_digit()
        && bytes[2] == b'-'
        && is_slug(&id[3..])
}

fn number(id: &str) -> usize {
    id[..2].parse().unwrap_or(0)
}

fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_numbered_slugs() {
        assert!(is_valid_id("oauth-callback"));
        assert!(!is_valid_id("1-oauth"));
        assert!(!is_valid_id("01-OAuth"));
        assert!(!is_valid_id("01-oauth--scoped"));
        assert_eq!(number("12-cache"), 12);
    }
}
