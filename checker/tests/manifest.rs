//! The manifest and the files on disk agree: every exercise has its file, its pinned error
//! or behaviour, its hints, its solutions and its page in the book, and no file is orphaned.

use std::path::PathBuf;

use checker::manifest::Manifest;

#[test]
fn the_manifest_matches_the_files() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let manifest = Manifest::load(&root).expect("the manifest loads");
    let problems = manifest.problems(&root);
    assert!(
        problems.is_empty(),
        "exercises/exercises.toml and the files disagree:\n  {}",
        problems.join("\n  ")
    );
}
