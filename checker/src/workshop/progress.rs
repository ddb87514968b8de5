//! What the learner has done so far, kept in `workshop/progress.toml`: which exercises they
//! started, how many hints they have seen, and the last verdict for each file as it was.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

const FILE: &str = "progress.toml";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    exercises: BTreeMap<String, Entry>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Entry {
    #[serde(default)]
    started: bool,
    #[serde(default)]
    hints_shown: usize,
    #[serde(default)]
    last: Option<Checked>,
    /// Solved at least once, whatever the file looks like now.
    #[serde(default)]
    solved_once: bool,
}

/// The last verdict, and a digest of the file it was about.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Checked {
    status: Status,
    digest: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Never checked, or changed since the last check.
    NotChecked,
    DoesNotCompile,
    CompilesButWrong,
    Solved,
}

impl Status {
    /// The one-character mark of the progress view.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Solved => "✓",
            Status::CompilesButWrong => "~",
            Status::DoesNotCompile => "✗",
            Status::NotChecked => "·",
        }
    }
}

impl Progress {
    /// Reads the progress file; a missing file is a fresh start. A file that cannot be
    /// parsed is set aside (renamed), never deleted, and the learner starts afresh.
    pub fn load(dir: &Path) -> Result<Progress> {
        let path = dir.join(FILE);
        let Ok(text) = fs::read_to_string(&path) else {
            return Ok(Progress::default());
        };
        match toml::from_str(&text) {
            Ok(progress) => Ok(progress),
            Err(err) => {
                let aside = dir.join(format!("{FILE}.unreadable"));
                fs::rename(&path, &aside).ok();
                eprintln!(
                    "note: {} could not be read ({err}); it was moved to {} and progress \
                     starts afresh",
                    path.display(),
                    aside.display()
                );
                Ok(Progress::default())
            }
        }
    }

    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(FILE);
        let text = toml::to_string(self).context("writing progress")?;
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    }

    /// The ids with an entry.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.exercises.keys().map(String::as_str)
    }

    /// Moves the entry of `old` to `new`, keeping the best of both if `new` has one too.
    pub fn rename(&mut self, old: &str, new: &str) {
        let Some(old_entry) = self.exercises.remove(old) else {
            return;
        };
        let entry = self.exercises.entry(new.to_owned()).or_default();
        entry.started |= old_entry.started;
        entry.hints_shown = entry.hints_shown.max(old_entry.hints_shown);
        entry.solved_once |= old_entry.solved_once;
        if entry.last.is_none() {
            entry.last = old_entry.last;
        }
    }

    pub fn has_started(&self, id: &str) -> bool {
        self.exercises.get(id).is_some_and(|e| e.started)
    }

    pub fn mark_started(&mut self, id: &str) {
        self.exercises.entry(id.to_owned()).or_default().started = true;
    }

    /// Counts one more hint seen and returns how many have been seen now.
    pub fn next_hint(&mut self, id: &str, available: usize) -> usize {
        let entry = self.exercises.entry(id.to_owned()).or_default();
        entry.hints_shown = (entry.hints_shown + 1).min(available);
        entry.hints_shown
    }

    pub fn record(&mut self, id: &str, contents: &[u8], status: Status) {
        let entry = self.exercises.entry(id.to_owned()).or_default();
        entry.solved_once |= status == Status::Solved;
        entry.last = Some(Checked {
            status,
            digest: digest(contents),
        });
    }

    /// The last verdict, if the file is still as it was when it was checked.
    pub fn status(&self, id: &str, contents: Option<&[u8]>) -> Status {
        let last = self.exercises.get(id).and_then(|e| e.last.as_ref());
        match (last, contents) {
            (Some(last), Some(contents)) if last.digest == digest(contents) => last.status,
            _ => Status::NotChecked,
        }
    }

    /// Whether the exercise was ever solved (its solutions are then open to see).
    pub fn was_solved(&self, id: &str) -> bool {
        self.exercises.get(id).is_some_and(|e| e.solved_once)
    }
}

fn digest(contents: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    contents.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}
