//! Keeps the checker's rooms honest: each folder under `checker/src/` may use only the rooms
//! its module comment names (see `checker/src/lib.rs`), so dependencies point one way and
//! nothing in `lessons/` or `harness/` learns about the learner's CLI.

use std::fs;
use std::path::{Path, PathBuf};

/// Each room and the rooms it may use (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("harness", &[]),
    ("lessons", &["harness"]),
    ("explain", &[]),
    ("material", &["explain", "harness"]),
    ("project", &["explain", "harness"]),
    ("workshop", &["explain", "harness", "material", "project"]),
    (
        "playground",
        &["explain", "harness", "material", "workshop"],
    ),
];

const ROOMS: &[&str] = &[
    "explain",
    "harness",
    "lessons",
    "material",
    "playground",
    "project",
    "workshop",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("the room is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The rooms a file names through `crate::room` paths.
fn rooms_used(text: &str) -> Vec<&'static str> {
    ROOMS
        .iter()
        .copied()
        .filter(|room| {
            let path = format!("crate::{room}");
            text.match_indices(&path).any(|(at, _)| {
                let next = text[at + path.len()..].chars().next();
                !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .collect()
}

#[test]
fn every_room_uses_only_what_it_may() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("checker/src");
    let mut problems = Vec::new();
    for (room, allowed) in ALLOWED {
        let mut files = Vec::new();
        rust_files(&src.join(room), &mut files);
        assert!(!files.is_empty(), "checker/src/{room}/ has no Rust files");
        for file in files {
            let text = fs::read_to_string(&file).expect("a source file is readable");
            for used in rooms_used(&text) {
                if used != *room && !allowed.contains(&used) {
                    problems.push(format!(
                        "{}: the {room} room may not use crate::{used}",
                        file.strip_prefix(&src).unwrap_or(&file).display()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_forbidden_use_is_caught() {
    assert_eq!(rooms_used("use crate::workshop::Workshop;"), ["workshop"]);
    assert_eq!(
        rooms_used("use crate::harness::{self, Failure};"),
        ["harness"]
    );
    assert!(rooms_used("use crate::harnesses::X;").is_empty());
}

#[test]
fn every_room_has_a_module_comment() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("checker/src");
    for room in ROOMS {
        let text = fs::read_to_string(src.join(room).join("mod.rs")).expect("mod.rs is readable");
        assert!(
            text.starts_with("//!"),
            "checker/src/{room}/mod.rs should start with a module comment saying what the room is for and what it may use"
        );
    }
}
