//! The book keeps its promises: every Rust block is included from a tested file or checked
//! by `mdbook test`, every compiler message is included from a checked `.stderr`, and every
//! file the book includes exists (so a renamed exercise cannot leave a hole in a page).

use std::fs;
use std::path::{Path, PathBuf};

use checker::book::code_block_problems;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pages(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(pages(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
    found.sort();
    found
}

#[test]
fn code_blocks_come_from_tested_files() {
    let src = root().join("src");
    let mut problems = Vec::new();
    for page in pages(&src) {
        let rel = page
            .strip_prefix(&src)
            .unwrap_or(&page)
            .display()
            .to_string();
        let text = fs::read_to_string(&page).unwrap_or_default();
        problems.extend(code_block_problems(&rel, &text));
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

#[test]
fn every_included_file_exists() {
    let src = root().join("src");
    let mut missing = Vec::new();
    for page in pages(&src) {
        let text = fs::read_to_string(&page).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            for include in line.split("{{#").skip(1) {
                let Some(rest) = include
                    .strip_prefix("include ")
                    .or_else(|| include.strip_prefix("rustdoc_include "))
                else {
                    continue;
                };
                let target = rest.split("}}").next().unwrap_or_default().trim();
                let file = target.split(':').next().unwrap_or_default();
                let dir = page.parent().unwrap_or(&src);
                if !dir.join(file).is_file() {
                    missing.push(format!("{}:{}: {file}", page.display(), n + 1));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "included files that do not exist:\n  {}",
        missing.join("\n  ")
    );
}
