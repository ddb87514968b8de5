//! What cargo says a project is: which manifest a `cargo check` in a folder would use, the
//! workspace's members and their crates, the crates they depend on, and their source files.
//! explain asks these questions (is `lib_core` the reader's own crate?) and cannot answer
//! them from diagnostics alone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// One member of the workspace.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    /// Its folder (where its Cargo.toml is).
    pub dir: PathBuf,
    /// The names its targets' crates have in paths (`lib_core` for `lib-core`).
    pub crate_names: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    /// The manifest cargo would use: `--manifest-path`, else the nearest Cargo.toml.
    pub manifest: PathBuf,
    pub target_dir: PathBuf,
    pub members: Vec<Member>,
    /// The crates the members depend on, by the name paths use.
    pub dependencies: BTreeSet<String>,
}

impl Workspace {
    /// The workspace a `cargo check` in `dir` (or of `manifest_path`) works on.
    pub fn locate(dir: &Path, manifest_path: Option<&Path>) -> Result<Workspace> {
        let manifest = match manifest_path {
            Some(path) => std::path::absolute(path)
                .with_context(|| format!("reading the path {}", path.display()))?,
            None => nearest_manifest(dir)?,
        };
        let metadata = cargo_metadata::MetadataCommand::new()
            .no_deps()
            .manifest_path(&manifest)
            .current_dir(dir)
            .exec()
            .map_err(|err| {
                anyhow::anyhow!(
                    "{} is not a cargo project that cargo can read: {}",
                    manifest.display(),
                    first_line(&err.to_string())
                )
            })?;
        let members: Vec<Member> = metadata
            .workspace_packages()
            .into_iter()
            .map(|package| Member {
                name: package.name.to_string(),
                dir: package
                    .manifest_path
                    .parent()
                    .map(|p| p.as_std_path().to_owned())
                    .unwrap_or_default(),
                crate_names: package
                    .targets
                    .iter()
                    .map(|t| t.name.replace('-', "_"))
                    .chain([package.name.replace('-', "_")])
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            })
            .collect();
        let own: BTreeSet<String> = members
            .iter()
            .flat_map(|m| m.crate_names.iter().cloned())
            .collect();
        let dependencies = metadata
            .workspace_packages()
            .into_iter()
            .flat_map(|p| p.dependencies.iter())
            .map(|d| d.rename.as_deref().unwrap_or(&d.name).replace('-', "_"))
            .filter(|name| !own.contains(name))
            .collect();
        Ok(Workspace {
            root: metadata.workspace_root.into_std_path_buf(),
            manifest,
            target_dir: metadata.target_directory.into_std_path_buf(),
            members,
            dependencies,
        })
    }

    /// Whether a crate named in a path is the reader's own (`Some(true)`), another crate
    /// they depend on or the standard library (`Some(false)`), or neither: then it is a
    /// module of their own (`model::Error`), which is also theirs.
    pub fn is_own_crate(&self, name: &str) -> bool {
        if matches!(name, "std" | "core" | "alloc") || self.dependencies.contains(name) {
            return false;
        }
        true
    }

    /// Whether a file a diagnostic names is in the workspace (and not in a dependency's
    /// sources, which cargo keeps elsewhere or under a `vendor` folder).
    pub fn is_own_file(&self, file: &str) -> bool {
        let path = self.root.join(file);
        if !path.starts_with(&self.root) || path.starts_with(&self.target_dir) {
            return false;
        }
        // The package a file belongs to is the nearest folder above it with a Cargo.toml:
        // a member's, or a vendored dependency's that is not one.
        let mut dir = path.parent();
        while let Some(folder) = dir {
            if folder.join("Cargo.toml").is_file() {
                return self.members.iter().any(|m| m.dir == folder);
            }
            if folder == self.root {
                break;
            }
            dir = folder.parent();
        }
        false
    }

    /// Every Rust file of every member, relative to the root, without build output and
    /// without another member's files.
    pub fn source_files(&self) -> Vec<PathBuf> {
        let member_dirs: BTreeSet<&Path> = self.members.iter().map(|m| m.dir.as_path()).collect();
        let mut files = Vec::new();
        for member in &self.members {
            let mut stack = vec![member.dir.clone()];
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    let name = entry.file_name();
                    if name == "target" || name == ".git" || path == self.target_dir {
                        continue;
                    }
                    if path.is_dir() {
                        if !member_dirs.contains(path.as_path()) {
                            stack.push(path);
                        }
                    } else if path.extension().is_some_and(|e| e == "rs")
                        && let Ok(relative) = path.strip_prefix(&self.root)
                    {
                        files.push(relative.to_owned());
                    }
                }
            }
        }
        files.sort();
        files.dedup();
        files
    }

    /// The member whose folder holds `file` (relative to the root).
    pub fn member_of(&self, file: &Path) -> Option<&Member> {
        let full = self.root.join(file);
        self.members
            .iter()
            .filter(|m| full.starts_with(&m.dir))
            .max_by_key(|m| m.dir.components().count())
    }
}

/// The Cargo.toml cargo would use in `dir`: `cargo locate-project`, which knows the rules.
fn nearest_manifest(dir: &Path) -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["locate-project", "--message-format", "plain"])
        .current_dir(dir)
        .output()
        .context("running cargo locate-project")?;
    if !output.status.success() {
        bail!(
            "{} is not in a cargo project: {}",
            dir.display(),
            first_line(&String::from_utf8_lossy(&output.stderr))
        );
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
    ))
}

pub fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .map(|l| l.trim_start_matches("error: "))
        .find(|l| !l.is_empty())
        .unwrap_or(text)
        .to_owned()
}
