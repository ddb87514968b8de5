//! The manifest and the files on disk agree: every exercise has its file, its pinned error
//! or behaviour, its hints, its solutions and its page in the book, and no file is orphaned.

use std::path::PathBuf;

use checker::material::manifest::Manifest;

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

/// The manifest's order is the book's: an exercise listed before one whose page comes
/// earlier in `src/SUMMARY.md` is reported, so numbers always follow reading order.
#[test]
fn an_exercise_out_of_reading_order_is_reported() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut manifest = Manifest::load(&root).expect("the manifest loads");
    manifest.exercises.reverse();
    let problems = manifest.problems(&root);
    assert!(
        problems.iter().any(|p| p.contains("reading order")),
        "reversing the manifest should break reading order: {problems:?}"
    );
}

/// The packages that are workspaces of their own but build into the root's `target/` (the
/// lab, and proofs that need other features) use the root's profiles: with any other
/// settings, they would build every shared dependency a second time.
#[test]
fn nested_workspaces_share_the_root_profile() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let profile_of = |path: &std::path::Path| -> Option<toml::Value> {
        let text = std::fs::read_to_string(path).ok()?;
        let table: toml::Table = text.parse().ok()?;
        table.get("profile").cloned()
    };
    let expected = profile_of(&root.join("Cargo.toml"));
    let text = std::fs::read_to_string(root.join("Cargo.toml")).expect("the root manifest");
    let cargo: toml::Table = text.parse().expect("the root manifest parses");
    let excluded = cargo["workspace"]["exclude"]
        .as_array()
        .expect("the root workspace excludes some folders");
    let mut differ = Vec::new();
    // workshop/ is the learner's copy: `cargo workshop` writes its profile from the root's.
    for folder in excluded
        .iter()
        .filter_map(|f| f.as_str())
        .filter(|f| *f != "workshop")
    {
        let manifest = root.join(folder).join("Cargo.toml");
        if manifest.is_file() && profile_of(&manifest) != expected {
            differ.push(folder.to_owned());
        }
    }
    assert!(
        differ.is_empty(),
        "these packages' [profile] differs from the root's: {differ:?}"
    );
}
