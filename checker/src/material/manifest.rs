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
use serde::Deserialize;

pub use crate::explain::vocabulary::{Kind, Shape};

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
    /// A kebab-case slug that never changes: the file is `exercises/<id>.rs`. The number a
    /// reader sees is the exercise's place in the manifest ([`Exercise::number`]).
    pub id: String,
    /// Its place in reading order, from 1: derived when the manifest is read, never written.
    #[serde(skip)]
    pub number: usize,
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
    /// What the exercise asks the learner to keep while fixing it ("keeping the generic
    /// worker"), so that `cargo workshop check` can name a fix that breaks it.
    #[serde(default)]
    pub keep: Vec<Constraint>,
}

/// One thing an exercise asks to keep, checked in the learner's source. A region is the
/// part of the file between `// ANCHOR: NAME` and `// ANCHOR_END: NAME`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Constraint {
    /// `function` stays generic over a type that implements `bound` (a type parameter or
    /// an `impl bound` argument).
    Generic {
        function: String,
        bound: String,
        says: String,
    },
    /// `region` still calls a `spawn` (`tokio::spawn`, `JoinSet::spawn`): one task per item.
    Spawns { region: String, says: String },
    /// `region` stays as shipped, token for token (comments aside).
    Unchanged { region: String, says: String },
    /// The file still uses the item at `path` (`parking_lot::Mutex`): imported, or named
    /// by its full path.
    Uses { path: String, says: String },
    /// The file still uses `dyn trait_name` somewhere.
    TraitObject {
        #[serde(rename = "trait")]
        trait_name: String,
        says: String,
    },
}

impl Constraint {
    /// The constraint in the exercise's own words.
    pub fn says(&self) -> &str {
        match self {
            Constraint::Generic { says, .. }
            | Constraint::Spawns { says, .. }
            | Constraint::Unchanged { says, .. }
            | Constraint::Uses { says, .. }
            | Constraint::TraitObject { says, .. } => says,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Fails to compile as shipped, with the diagnostic pinned in `exercises/<id>.stderr`.
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    /// `<id>.rs`, or `<id>--variant.rs` when several fixes are worth showing.
    pub file: String,
    /// One line: what this solution does differently.
    pub note: String,
}

/// The repository a tool of the checker works on: the nearest folder, from the current one
/// up, that holds the exercise manifest; else the one the checker was built from.
pub fn repository_root() -> Result<PathBuf> {
    let here = std::env::current_dir().context("reading the current folder")?;
    let found = here
        .ancestors()
        .find(|dir| dir.join(MANIFEST_PATH).is_file())
        .map(Path::to_owned);
    Ok(found.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR"))))
}

impl Manifest {
    /// Reads the manifest of the repository at `root`.
    pub fn load(root: &Path) -> Result<Manifest> {
        let path = root.join(MANIFEST_PATH);
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut manifest: Manifest =
            toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        for (place, exercise) in manifest.exercises.iter_mut().enumerate() {
            exercise.number = place + 1;
        }
        Ok(manifest)
    }

    pub fn get(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    /// The exercise numbered `number` (from 1).
    pub fn by_number(&self, number: usize) -> Option<&Exercise> {
        self.exercises.get(number.checked_sub(1)?)
    }

    /// Every disagreement between the manifest and the files under `root`.
    pub fn problems(&self, root: &Path) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        let summary = fs::read_to_string(root.join("src/SUMMARY.md")).unwrap_or_default();
        let pages = summary_pages(&summary);
        let mut previous: Option<(usize, &str)> = None;

        for exercise in &self.exercises {
            let id = &exercise.id;
            if !ids.insert(id.as_str()) {
                problems.push(format!("{id}: listed twice"));
            }
            if !is_slug(id) {
                problems.push(format!(
                    "{id}: an id is a kebab-case slug (lower-case letters, digits, single dashes)"
                ));
            } else if id.len() > 3 && id.as_bytes()[..2].iter().all(u8::is_ascii_digit) {
                problems.push(format!(
                    "{id}: an id carries no number; the number is its place in the manifest"
                ));
            }
            if let Some(place) = pages.iter().position(|p| *p == exercise.page) {
                if let Some((before, before_id)) = previous
                    && place < before
                {
                    problems.push(format!(
                        "{id}: its page {} comes before the page of {before_id} in src/SUMMARY.md, \
                         so it must come before {before_id} in the manifest (reading order)",
                        exercise.page
                    ));
                }
                previous = Some((place, id));
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
            let source = fs::read_to_string(exercise.source(root)).unwrap_or_default();
            for constraint in &exercise.keep {
                if let Constraint::Spawns { region, .. } | Constraint::Unchanged { region, .. } =
                    constraint
                    && !source.contains(&format!("// ANCHOR: {region}\n"))
                {
                    problems.push(format!(
                        "{id}: `keep` names the region {region:?}, which {} does not mark \
                         (`// ANCHOR: {region}`)",
                        exercise.source_rel()
                    ));
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

/// Set by `cargo xtask test --exercise ID`: the checks that go through every exercise look
/// at that one only (and the pinned errors of the proofs are left to the full run).
pub const ONLY_ENV: &str = "CANNOT_BE_SENT_EXERCISE";

/// The one exercise this run checks, if it was asked for.
pub fn only_exercise() -> Option<String> {
    std::env::var(ONLY_ENV).ok().filter(|id| !id.is_empty())
}

/// Whether this run checks the exercise `id`.
pub fn is_checked(id: &str) -> bool {
    only_exercise().is_none_or(|only| only == id)
}

/// How a check that goes through every exercise is named when it looks at one only, so
/// that its verdict is never taken for the whole check's: `[oauth-callback]`, or nothing.
pub fn scope() -> String {
    only_exercise().map_or_else(String::new, |id| format!("[{id}]"))
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

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::CompileFail => "compile-fail",
            Outcome::RunsWrong => "runs-wrong",
        })
    }
}

/// The pages of `src/SUMMARY.md`, in reading order.
pub fn summary_pages(summary: &str) -> Vec<&str> {
    summary
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once("](")?;
            let (path, _) = rest.split_once(')')?;
            path.ends_with(".md").then_some(path)
        })
        .collect()
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
    fn ids_are_slugs() {
        assert!(is_slug("oauth-callback"));
        assert!(!is_slug("OAuth"));
        assert!(!is_slug("oauth--scoped"));
        assert!(!is_slug("-oauth"));
    }

    #[test]
    fn summary_pages_are_in_order() {
        let summary =
            "# S\n[Intro](introduction.md)\n- [A](story/a.md)\n  - [B \\<x\\>](fixes/b.md)\n---\n";
        assert_eq!(
            summary_pages(summary),
            ["introduction.md", "story/a.md", "fixes/b.md"]
        );
    }
}
