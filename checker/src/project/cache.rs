//! Where a project without a `Cargo.lock` is checked: a copy in the user's cache folder,
//! kept between runs with the lockfile cargo resolved in it and its build, so that only the
//! first run builds the dependencies.
//!
//! The folder is `$XDG_CACHE_HOME/cannot-be-sent/explain/` (else `~/.cache/…`, or
//! `CANNOT_BE_SENT_CACHE` when set), one subfolder per project, named after its path.
//! Removing it is always safe: the next run builds again.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::project::copy::sync_tree;
use crate::project::workspace::Workspace;

/// The cache folder of all projects.
pub fn cache_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CANNOT_BE_SENT_CACHE") {
        return Some(PathBuf::from(dir).join("explain"));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("cannot-be-sent").join("explain"))
}

/// A project's copy in the cache, brought up to date with the project.
pub struct LocklessCopy {
    dir: PathBuf,
}

impl LocklessCopy {
    pub fn sync(workspace: &Workspace) -> Result<LocklessCopy> {
        let root = cache_root().context(
            "the project has no Cargo.lock and there is no cache folder to check it in \
             (set HOME, XDG_CACHE_HOME or CANNOT_BE_SENT_CACHE)",
        )?;
        let dir = root.join(folder_name(&workspace.root));
        let copy = LocklessCopy { dir };
        eprintln!(
            "note: {} has no Cargo.lock; checking a copy in {} (kept for the next run; \
             removing it is safe)",
            workspace.root.display(),
            copy.dir.display()
        );
        sync_tree(
            &workspace.root,
            copy.root(),
            &workspace.target_dir,
            &["Cargo.lock"],
        )
        .with_context(|| format!("copying the project to {}", copy.dir.display()))?;
        Ok(copy)
    }

    /// The copy's root, where its Cargo.lock lives.
    pub fn root(&self) -> &Path {
        &self.dir
    }

    /// Its build, beside the copy rather than in it, so that syncing leaves it alone.
    pub fn target_dir(&self) -> PathBuf {
        self.dir.with_extension("target")
    }
}

/// `bookshelf-3f2a9c0d1e4b5a67`: the project folder's name and a hash of its path, so that
/// two projects of the same name keep separate copies.
fn folder_name(root: &Path) -> String {
    // FNV-1a: stable across runs and Rust versions, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in root.as_os_str().as_encoded_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let name: String = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{name}-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_stable_and_tell_projects_apart() {
        let a = folder_name(Path::new("/home/ann/work/api"));
        assert_eq!(a, folder_name(Path::new("/home/ann/work/api")));
        assert!(a.starts_with("api-"));
        assert_ne!(a, folder_name(Path::new("/home/ann/old/api")));
    }
}
