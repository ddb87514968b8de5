//! Copies of a project: in the system's temporary folder, removed when dropped (also on
//! Ctrl-C), and kept in step with the project ([`sync_tree`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};

/// A folder of our own under the system's temporary folder, removed with everything in it
/// when this value is dropped (also when a check fails half-way).
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    pub fn new() -> Result<Scratch> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "cargo-explain-send-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        if let Ok(mut live) = LIVE.lock() {
            live.push(path.clone());
        }
        Ok(Scratch { path })
    }

    /// Removes every scratch folder not dropped yet: for an interrupted run, which ends
    /// without running destructors.
    pub fn remove_all() {
        let paths = LIVE.lock().map(|l| l.clone()).unwrap_or_default();
        for path in paths {
            let _ = fs::remove_dir_all(path);
        }
    }

    /// A copy of the project at `root`, without its build output (`target_dir`) or `.git`.
    pub fn copy_of(root: &Path, target_dir: &Path) -> Result<Scratch> {
        let scratch = Scratch::new()?;
        sync_tree(root, &scratch.path, target_dir, &[])?;
        Ok(scratch)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The scratch folders that exist now.
static LIVE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|p| *p != self.path);
        }
    }
}

/// Makes `to` a copy of the project at `from` (without build output or `.git`), writing
/// only the files that differ and removing those that are gone, so that cargo, which
/// judges files by their times, rebuilds only what changed. `keep` names files of the copy
/// that are its own (the `Cargo.lock` cargo resolved there).
pub fn sync_tree(from: &Path, to: &Path, skip: &Path, keep: &[&str]) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let mut present = std::collections::BTreeSet::new();
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if path == skip || name == ".git" || name == "target" {
            continue;
        }
        present.insert(name.clone());
        let destination = to.join(&name);
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            sync_tree(&path, &destination, skip, &[])?;
        } else if file_type.is_file() || path.is_file() {
            let contents =
                fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            if fs::read(&destination).ok().as_deref() != Some(contents.as_slice()) {
                fs::write(&destination, contents)
                    .with_context(|| format!("writing {}", destination.display()))?;
            }
        }
    }
    for entry in fs::read_dir(to)?.flatten() {
        let name = entry.file_name();
        let kept = keep.iter().any(|k| name == *k) || name == "target";
        if !present.contains(&name) && !kept {
            let path = entry.path();
            if path.is_dir() {
                fs::remove_dir_all(&path).ok();
            } else {
                fs::remove_file(&path).ok();
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_folder_is_removed_when_dropped() {
        let scratch = Scratch::new().expect("a scratch folder");
        let path = scratch.path().to_owned();
        fs::write(path.join("file"), "x").expect("written");
        drop(scratch);
        assert!(!path.exists());
    }
}
