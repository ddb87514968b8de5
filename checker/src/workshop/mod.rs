//! The learner's working copy of the exercises: `workshop/`, a git-ignored cargo package.
//!
//! A learner never edits `exercises/`: `cargo workshop` copies each pristine exercise into
//! `workshop/exercises/` the first time it is needed, so the learner's answers never show
//! up in `git status` (nor in pull requests) and the material tests never see them.
//! `workshop/` is a cargo package of its own, with one binary per exercise, so an editor's
//! rust-analyzer works on the files being edited. It uses the root's `Cargo.lock`,
//! dependency versions and profile, and builds into the root's `target/`, so checking an
//! attempt reuses the dependencies the material tests already built.
//!
//! This room may use every other room but the lessons: the exercises it builds call those.

pub mod attempt;
pub mod commands;
pub mod constraints;
pub mod explain_file;
pub mod migrate;
pub mod progress;
pub mod promises;
pub mod watch;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::material::manifest::{Exercise, Manifest};

/// The folder of the working copy, relative to the repository's root.
pub const DIR: &str = "workshop";

/// The line that starts the part of every exercise that the learner should not change.
pub const HARNESS_MARKER: &str = "// The checker's part";

pub struct Workshop {
    pub root: PathBuf,
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// Starts the name of every program built here. Working copies share `target/`, where
    /// cargo puts each program under its name, so each copy gets names of its own.
    bin_prefix: String,
    /// The book's pages in reading order, with their titles, from `src/SUMMARY.md`.
    pages: Vec<(String, String)>,
}

impl Workshop {
    /// Opens the working copy of the repository at `root`, creating or updating its
    /// package files. Exercise copies are created only by [`Workshop::ensure_attempt`]:
    /// a learner's file is never overwritten here.
    pub fn open(root: &Path) -> Result<Workshop> {
        Workshop::open_at(root, &root.join(DIR))
    }

    /// Opens a working copy kept in `dir` instead of `workshop/` (the tests use this).
    pub fn open_at(root: &Path, dir: &Path) -> Result<Workshop> {
        let manifest = Manifest::load(root)?;
        let dir =
            &std::path::absolute(dir).with_context(|| format!("finding {}", dir.display()))?;
        let bin_prefix = if *dir == root.join(DIR) {
            "ex".to_owned()
        } else {
            let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
            format!("ex-{}-", name.unwrap_or_default())
        };
        for line in migrate::migrate(dir, &manifest)? {
            eprintln!("note: {line}");
        }
        let workshop = Workshop {
            root: root.to_owned(),
            dir: dir.to_owned(),
            manifest,
            bin_prefix,
            pages: book_pages(root),
        };
        workshop.write_package()?;
        Ok(workshop)
    }

    /// The exercises in the order a reader meets them, which is the manifest's order (a
    /// material test keeps it the order of their pages in the book).
    pub fn in_book_order(&self) -> Vec<&Exercise> {
        self.manifest.exercises.iter().collect()
    }

    /// The title of a book page (a path relative to `src/`), or the path if it has none.
    pub fn page_title<'a>(&'a self, page: &'a str) -> &'a str {
        self.pages
            .iter()
            .find(|(path, _)| path == page)
            .map_or(page, |(_, title)| title.as_str())
    }

    /// Finds an exercise by its id, its number (`1`, `01`) or its slug.
    pub fn find(&self, wanted: &str) -> Result<&Exercise> {
        let wanted = wanted.trim().trim_end_matches(".rs");
        let wanted = wanted.rsplit('/').next().unwrap_or(wanted);
        let by_number = wanted
            .parse::<usize>()
            .ok()
            .and_then(|n| self.manifest.by_number(n));
        // An id of the first edition (`03-proxy-route-lookup`) still finds its exercise.
        let slug = migrate::slug_of_old_id(wanted).unwrap_or(wanted);
        let found = by_number.or_else(|| self.manifest.get(slug));
        match found {
            Some(exercise) => Ok(exercise),
            None => bail!(
                "no exercise {wanted:?}; `cargo workshop list` shows them all (use its number, \
                 like 1, or its id, like {})",
                self.manifest
                    .exercises
                    .first()
                    .map_or("oauth-callback", |e| e.id.as_str())
            ),
        }
    }

    /// The learner's copy of `exercise`.
    pub fn attempt_path(&self, exercise: &Exercise) -> PathBuf {
        self.dir
            .join("exercises")
            .join(format!("{}.rs", exercise.id))
    }

    /// The same path relative to the root (where it is below the root), for messages.
    pub fn attempt_rel(&self, exercise: &Exercise) -> String {
        let path = self.attempt_path(exercise);
        path.strip_prefix(&self.root)
            .unwrap_or(&path)
            .display()
            .to_string()
    }

    /// The pristine exercise, as shipped.
    pub fn pristine_path(&self, exercise: &Exercise) -> PathBuf {
        exercise.source(&self.root)
    }

    /// Copies the pristine exercise into the working copy unless a copy is already there.
    /// Returns whether it created one.
    pub fn ensure_attempt(&self, exercise: &Exercise) -> Result<bool> {
        let attempt = self.attempt_path(exercise);
        if attempt.exists() {
            return Ok(false);
        }
        if self.progress_has_started(exercise) {
            // The learner had a copy and it is gone: do not silently replace their work.
            return Ok(false);
        }
        self.copy_pristine(exercise)?;
        self.write_package()?;
        Ok(true)
    }

    fn progress_has_started(&self, exercise: &Exercise) -> bool {
        progress::Progress::load(&self.dir)
            .map(|p| p.has_started(&exercise.id))
            .unwrap_or(false)
    }

    /// Writes the pristine exercise over the working copy.
    pub fn copy_pristine(&self, exercise: &Exercise) -> Result<()> {
        let attempt = self.attempt_path(exercise);
        if let Some(parent) = attempt.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::copy(self.pristine_path(exercise), &attempt).with_context(|| {
            format!("copying {} to {}", exercise.source_rel(), attempt.display())
        })?;
        let mut progress = progress::Progress::load(&self.dir)?;
        progress.mark_started(&exercise.id);
        progress.save(&self.dir)
    }

    /// The binary that builds the learner's copy of `exercise`.
    pub fn bin_name(&self, exercise: &Exercise) -> String {
        format!("{}{}", self.bin_prefix, exercise.id)
    }

    /// The binary that builds a file given to `explain`.
    pub fn explain_bin(&self) -> String {
        format!("{}{}", self.bin_prefix, explain_file::BIN)
    }

    /// Writes the package files of the working copy (never the exercise copies). Cargo
    /// insists that every binary's file exists, so only the copies present are listed.
    pub fn write_package(&self) -> Result<()> {
        fs::create_dir_all(self.dir.join("exercises"))
            .with_context(|| format!("creating {}", self.dir.display()))?;
        fs::create_dir_all(self.dir.join(".cargo"))?;
        fs::create_dir_all(self.dir.join(".vscode"))?;
        let files = [
            ("Cargo.toml", package_manifest(self)?),
            (
                ".cargo/config.toml",
                format!(
                    "# Build into the repository's target/, reusing its dependencies.\n\
                     [build]\ntarget-dir = {:?}\n\n\
                     # `cargo explain-send` here runs the repository's own, so that an editor's\n\
                     # rust-analyzer can use it without installing anything (.vscode/settings.json).\n\
                     [alias]\nexplain-send = [\"run\", \"--quiet\", \"--manifest-path\", {:?}, \"--bin\", \
                     \"cargo-explain-send\", \"--\", \"explain-send\"]\n",
                    self.root.join("target").display().to_string(),
                    self.root.join("Cargo.toml").display().to_string(),
                ),
            ),
            (".vscode/settings.json", editor_settings()),
            (
                ".gitignore",
                "# Your work stays yours: nothing here is committed.\n*\n".to_owned(),
            ),
        ];
        for (name, text) in files {
            write_if_changed(&self.dir.join(name), &text)?;
        }
        // The same versions as the material, whatever the registry has now: the material's
        // lockfile, fitted to this package offline (which changes no version), so that a
        // `cargo check --locked` here (as `cargo explain-send` runs) finds nothing to update.
        let lock = fs::read(self.root.join("Cargo.lock")).context("reading Cargo.lock")?;
        let copied_from = self.dir.join(".cargo/lock-copied-from");
        if fs::read(&copied_from).ok().as_deref() != Some(&lock[..])
            || !self.dir.join("Cargo.lock").is_file()
        {
            // If it cannot be fitted offline, the copy stays as it is: a build here (without
            // `--locked`) fits it then.
            if crate::material::cargo_build::lock_like_material(&self.root, &self.dir).is_ok() {
                fs::write(&copied_from, &lock)?;
            }
        }
        Ok(())
    }
}

/// The command rust-analyzer runs on save instead of `cargo check`: the same check, with
/// explain's diagnosis added to each error it explains.
pub const EDITOR_CHECK_COMMAND: [&str; 5] = [
    "cargo",
    "explain-send",
    "--message-format=json-diagnostic-rendered-ansi",
    "--all-targets",
    "--keep-going",
];

/// VS Code's settings for the working copy: rust-analyzer checks with explain.
fn editor_settings() -> String {
    let settings = serde_json::json!({
        "rust-analyzer.check.overrideCommand": EDITOR_CHECK_COMMAND,
    });
    let mut text = serde_json::to_string_pretty(&settings).unwrap_or_default();
    text.push('\n');
    text
}

/// `(path, title)` of every page listed in `src/SUMMARY.md`, in order.
fn book_pages(root: &Path) -> Vec<(String, String)> {
    let summary = fs::read_to_string(root.join("src/SUMMARY.md")).unwrap_or_default();
    summary
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once('[')?;
            let (title, rest) = rest.split_once("](")?;
            let (path, _) = rest.split_once(')')?;
            Some((path.to_owned(), title.replace('\\', "")))
        })
        .filter(|(path, _)| path.ends_with(".md"))
        .collect()
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The working copy's `Cargo.toml`: the checker and exactly the dependencies (versions and
/// features) the root package uses, the root's profiles, and one binary per exercise.
fn package_manifest(workshop: &Workshop) -> Result<String> {
    let text =
        fs::read_to_string(workshop.root.join("Cargo.toml")).context("reading Cargo.toml")?;
    let cargo: toml::Table = text.parse().context("parsing Cargo.toml")?;
    let shared = cargo
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    let edition = cargo
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("edition"))
        .cloned()
        .unwrap_or_else(|| toml::Value::String("2024".into()));

    let mut dependencies = toml::Table::new();
    let mut checker = toml::Table::new();
    checker.insert(
        "path".into(),
        toml::Value::String(workshop.root.display().to_string()),
    );
    dependencies.insert("checker".into(), toml::Value::Table(checker));
    let own = cargo
        .get("dependencies")
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    for (name, spec) in own {
        let inherited = spec
            .get("workspace")
            .and_then(|w| w.as_bool())
            .unwrap_or(false);
        let resolved = if inherited {
            shared.get(&name).cloned().unwrap_or(spec)
        } else {
            spec
        };
        dependencies.insert(name, resolved);
    }

    let mut package = toml::Table::new();
    package.insert("name".into(), toml::Value::String("workshop".into()));
    package.insert("version".into(), toml::Value::String("0.0.0".into()));
    package.insert("edition".into(), edition);
    package.insert("publish".into(), toml::Value::Boolean(false));
    package.insert("autobins".into(), toml::Value::Boolean(false));

    let bins: Vec<toml::Value> = workshop
        .manifest
        .exercises
        .iter()
        .filter(|exercise| workshop.attempt_path(exercise).is_file())
        .map(|exercise| {
            let mut bin = toml::Table::new();
            bin.insert(
                "name".into(),
                toml::Value::String(workshop.bin_name(exercise)),
            );
            bin.insert(
                "path".into(),
                toml::Value::String(format!("exercises/{}.rs", exercise.id)),
            );
            toml::Value::Table(bin)
        })
        .collect();
    let mut bins = bins;
    if workshop.dir.join(explain_file::SOURCE).is_file() {
        let mut bin = toml::Table::new();
        bin.insert("name".into(), toml::Value::String(workshop.explain_bin()));
        bin.insert(
            "path".into(),
            toml::Value::String(explain_file::SOURCE.into()),
        );
        bins.push(toml::Value::Table(bin));
    }

    let mut out = toml::Table::new();
    out.insert("package".into(), toml::Value::Table(package));
    // Its own workspace: the learner's files never join the material's builds.
    out.insert("workspace".into(), toml::Value::Table(toml::Table::new()));
    out.insert("bin".into(), toml::Value::Array(bins));
    out.insert("dependencies".into(), toml::Value::Table(dependencies));
    if let Some(profile) = cargo.get("profile") {
        out.insert("profile".into(), profile.clone());
    }
    let body = toml::to_string(&out).context("writing the workshop's Cargo.toml")?;
    Ok(format!(
        "# Written by `cargo workshop` from the repository's Cargo.toml; changes are lost.\n{body}"
    ))
}
