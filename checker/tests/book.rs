//! The book keeps its promises: every Rust block is included from a tested file or checked
//! by `mdbook test`, every compiler message is included from a checked `.stderr`, and every
//! file the book includes exists (so a renamed exercise cannot leave a hole in a page).

use std::fs;
use std::path::{Path, PathBuf};

use checker::material::book::code_block_problems;

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

/// The workshop plans in the instructors' page add up: each plan's rows sum to the total in
/// its heading, and every page and exercise a row names exists.
#[test]
fn workshop_plans_add_up() {
    let root = root();
    let page = root.join("src/workshop/instructors.md");
    let text = fs::read_to_string(&page).expect("the instructors' page exists");
    let manifest = checker::material::manifest::Manifest::load(&root).expect("the manifest loads");

    let mut plans = 0;
    let mut problems = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(heading) = line.strip_prefix("## ") else {
            continue;
        };
        let Some(total) = heading
            .strip_suffix(" minutes)")
            .and_then(|h| h.rsplit_once('('))
            .and_then(|(_, n)| n.trim().parse::<u32>().ok())
        else {
            continue;
        };
        plans += 1;
        let mut sum = 0;
        for row in lines.by_ref().skip_while(|l| !l.starts_with('|')) {
            if !row.starts_with('|') {
                break;
            }
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            let Some(minutes) = cells.get(1).and_then(|m| m.parse::<u32>().ok()) else {
                continue; // the header and the separator
            };
            sum += minutes;
            for link in cells[0].split("](").skip(1) {
                let target = link.split(')').next().unwrap_or_default();
                let file = target.split('#').next().unwrap_or_default();
                if !page.parent().unwrap_or(&root).join(file).is_file() {
                    problems.push(format!("{heading}: no page {target}"));
                }
            }
            for reference in cells.get(2).unwrap_or(&"").split(',').map(str::trim) {
                let slug = reference
                    .strip_prefix("{{#exercise-link ")
                    .and_then(|r| r.strip_suffix("}}"));
                match slug {
                    Some(slug) if manifest.get(slug).is_some() => {}
                    _ if reference.is_empty() => {}
                    _ => problems.push(format!(
                        "{heading}: {reference:?} is not {{{{#exercise-link SLUG}}}} with a SLUG \
                         of the manifest"
                    )),
                }
            }
        }
        if sum != total {
            problems.push(format!("{heading}: the rows add up to {sum} minutes"));
        }
    }
    assert!(plans >= 2, "a one-day and a half-day plan, found {plans}");
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

/// Prose names an exercise through the preprocessor (`{{#exercise SLUG}}` and its kin), never
/// by a typed number, which would go stale when an exercise is inserted before it; and every
/// such reference names an exercise the manifest has.
#[test]
fn exercises_are_referred_to_by_slug() {
    let root = root();
    let src = root.join("src");
    let manifest = checker::material::manifest::Manifest::load(&root).expect("the manifest loads");
    let mut problems = Vec::new();
    for page in pages(&src) {
        let rel = page
            .strip_prefix(&src)
            .unwrap_or(&page)
            .display()
            .to_string();
        let text = fs::read_to_string(&page).unwrap_or_default();
        if let Err(problem) = checker::material::book::exercise_references(&text, &rel, &manifest) {
            problems.push(problem);
        }
        problems.extend(checker::material::book::typed_exercise_numbers(&rel, &text));
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}
