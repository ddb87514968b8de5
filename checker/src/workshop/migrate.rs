//! Brings a working copy made by the first edition up to date. The first edition named each
//! exercise `NN-slug`, with NN the order in which the exercises were written; now an
//! exercise is known by its slug and its number is its place in reading order. A learner's
//! copies and progress follow, and nothing of theirs is lost: a copy whose new name is
//! already taken is set aside in `workshop/backups/`, never overwritten.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::material::manifest::Manifest;
use crate::workshop::progress::Progress;

/// `proxy-route-lookup` for the first edition's `03-proxy-route-lookup`.
pub fn slug_of_old_id(id: &str) -> Option<&str> {
    let bytes = id.as_bytes();
    let numbered = bytes.len() > 3
        && bytes[0].is_ascii_digit()
        && bytes[1].is_ascii_digit()
        && bytes[2] == b'-';
    numbered.then(|| &id[3..])
}

/// Renames the first edition's copies and progress entries in the working copy `dir`.
/// Returns one line for each thing it did, for the learner to read.
pub fn migrate(dir: &Path, manifest: &Manifest) -> Result<Vec<String>> {
    let mut done = Vec::new();
    let copies = dir.join("exercises");
    let mut renamed = Vec::new();
    if let Ok(entries) = fs::read_dir(&copies) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(old_id) = name.strip_suffix(".rs") else {
                continue;
            };
            let Some(slug) = slug_of_old_id(old_id) else {
                continue;
            };
            if manifest.get(slug).is_none() {
                continue;
            }
            let old = entry.path();
            let new = copies.join(format!("{slug}.rs"));
            if new.exists() {
                let backups = dir.join("backups");
                fs::create_dir_all(&backups)
                    .with_context(|| format!("creating {}", backups.display()))?;
                let aside = backups.join(format!("{old_id}.first-edition.rs"));
                fs::rename(&old, &aside)
                    .with_context(|| format!("moving {} aside", old.display()))?;
                done.push(format!(
                    "kept your older copy exercises/{name} as backups/{old_id}.first-edition.rs \
                     (exercises/{slug}.rs was already there)"
                ));
            } else {
                fs::rename(&old, &new).with_context(|| format!("renaming {}", old.display()))?;
                done.push(format!("renamed exercises/{name} to exercises/{slug}.rs"));
            }
            renamed.push((old_id.to_owned(), slug.to_owned()));
        }
    }

    let mut progress = Progress::load(dir)?;
    let old_ids: Vec<String> = progress
        .ids()
        .filter(|id| slug_of_old_id(id).is_some_and(|slug| manifest.get(slug).is_some()))
        .map(str::to_owned)
        .collect();
    for old_id in &old_ids {
        if let Some(slug) = slug_of_old_id(old_id) {
            progress.rename(old_id, slug);
        }
    }
    if !old_ids.is_empty() {
        progress.save(dir)?;
        done.push(format!(
            "carried the progress of {} exercise(s) over to their new names",
            old_ids.len()
        ));
    }
    done.sort();
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_ids_give_their_slug() {
        assert_eq!(
            slug_of_old_id("03-proxy-route-lookup"),
            Some("proxy-route-lookup")
        );
        assert_eq!(slug_of_old_id("proxy-route-lookup"), None);
        assert_eq!(slug_of_old_id("3-proxy"), None);
    }
}
