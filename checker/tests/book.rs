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

/// Every `.stderr` file under `exercises/` and `proofs/`: the pinned outputs the tests check.
fn pinned_outputs() -> Vec<(PathBuf, String)> {
    fn walk(folder: &Path, found: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    walk(&path, found);
                }
            } else if path.extension().is_some_and(|e| e == "stderr") {
                found.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("exercises"), &mut files);
    walk(&root().join("proofs"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap_or_default();
            (path, text)
        })
        .collect()
}

/// The code spans of a line of markdown, `` `like this` `` or ``` `` with `backticks` `` ```.
fn code_spans(line: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        let after = &rest[start..];
        let ticks = after.len() - after.trim_start_matches('`').len();
        let body = &after[ticks..];
        // The span closes at the next run of exactly as many backticks.
        let mut close = None;
        let mut at = 0;
        while let Some(found) = body[at..].find('`') {
            let from = at + found;
            let run = body[from..].len() - body[from..].trim_start_matches('`').len();
            if run == ticks {
                close = Some(from);
                break;
            }
            at = from + run;
        }
        let Some(close) = close else { break };
        let content = &body[..close];
        let content = match content.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
            Some(inner) if !inner.trim().is_empty() => inner,
            _ => content,
        };
        spans.push(content.to_owned());
        rest = &body[close + ticks..];
    }
    spans
}

/// Whether `line` contains `pattern`, where each `…` in the pattern stands for any text.
fn matches_line(pattern: &str, line: &str) -> bool {
    let mut at = 0;
    for part in pattern.split('…').filter(|p| !p.is_empty()) {
        match line[at..].find(part) {
            Some(found) => at += found + part.len(),
            None => return false,
        }
    }
    true
}

/// The error index quotes only what the compiler really prints: every message quoted in the
/// first column of its compiler and clippy tables is in a pinned `.stderr`, and the messages
/// quoted in one row are all in the same one (a headline is never paired with a note that
/// comes from another error).
#[test]
fn error_index_quotes_pinned_output() {
    let text = fs::read_to_string(root().join("src/appendix/error-index.md"))
        .expect("the error index exists");
    let outputs = pinned_outputs();
    assert!(!outputs.is_empty(), "no .stderr files found");

    let mut rows = 0;
    let mut problems = Vec::new();
    let mut section = "";
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading;
            continue;
        }
        if !matches!(section, "From the compiler" | "From clippy") || !line.starts_with('|') {
            continue;
        }
        let first = line.trim_matches('|').split('|').next().unwrap_or_default();
        let quoted = code_spans(first);
        if quoted.is_empty() {
            continue; // the header and the separator
        }
        rows += 1;
        let found = outputs.iter().any(|(_, output)| {
            quoted
                .iter()
                .all(|pattern| output.lines().any(|l| matches_line(pattern, l)))
        });
        if !found {
            problems.push(format!(
                "no pinned .stderr contains all of: {}",
                quoted
                    .iter()
                    .map(|q| format!("{q:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    assert!(rows >= 10, "the index's tables have only {rows} rows");
    assert!(
        problems.is_empty(),
        "src/appendix/error-index.md:\n  {}",
        problems.join("\n  ")
    );
}

/// A page that shows part of a pinned output, `{{#include file.stderr:START:END}}`, starts at
/// an error's headline (`error…`), within the file. When a compiler update moves the lines,
/// this fails instead of the page showing an error from its middle.
#[test]
fn partial_errors_start_at_a_headline() {
    let src = root().join("src");
    let mut checked = 0;
    let mut problems = Vec::new();
    for page in pages(&src) {
        let text = fs::read_to_string(&page).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let Some(target) = line
                .trim()
                .strip_prefix("{{#include ")
                .and_then(|rest| rest.strip_suffix("}}"))
            else {
                continue;
            };
            let mut parts = target.trim().split(':');
            let file = parts.next().unwrap_or_default();
            let range: Vec<&str> = parts.collect();
            if !file.ends_with(".stderr") || range.len() != 2 {
                continue;
            }
            let at = format!("{}:{}", page.display(), n + 1);
            let (Ok(start), Ok(end)) = (range[0].parse::<usize>(), range[1].parse::<usize>())
            else {
                problems.push(format!("{at}: a range of .stderr lines needs two numbers"));
                continue;
            };
            let output =
                fs::read_to_string(page.parent().unwrap_or(&src).join(file)).unwrap_or_default();
            let lines: Vec<&str> = output.lines().collect();
            checked += 1;
            if start == 0 || end < start || end > lines.len() {
                problems.push(format!("{at}: {file} has {} lines", lines.len()));
                continue;
            }
            if !lines[start - 1].starts_with("error") {
                problems.push(format!("{at}: line {start} of {file} is not a headline"));
            }
        }
    }
    assert!(checked > 0, "no page shows part of a pinned error");
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

/// "Does it compile? at a glance" lists every proof: a new file in `proofs/compile-fail/`,
/// `proofs/compiles/`, `proofs/runs-wrong/` or `proofs/edition2021/cases/` fails this test
/// until it has its row, and a row cannot name a proof that does not exist.
#[test]
fn at_a_glance_lists_every_proof() {
    let root = root();
    let text = fs::read_to_string(root.join("src/appendix/at-a-glance.md"))
        .expect("the at-a-glance page exists");
    let mut problems = Vec::new();
    let mut proofs = 0;
    for folder in [
        "proofs/compile-fail",
        "proofs/compiles",
        "proofs/runs-wrong",
        "proofs/edition2021/cases",
    ] {
        for entry in fs::read_dir(root.join(folder))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".rs") {
                continue;
            }
            proofs += 1;
            let path = format!("`{folder}/{name}`");
            if !text.contains(&path) {
                problems.push(format!("no row for {path}"));
            }
        }
    }
    for named in code_spans(&text.replace('\n', " ")) {
        if named.starts_with("proofs/") && named.ends_with(".rs") && !root.join(&named).is_file() {
            problems.push(format!("a row names {named}, which does not exist"));
        }
    }
    assert!(proofs > 0, "no proofs found");
    assert!(
        problems.is_empty(),
        "src/appendix/at-a-glance.md:\n  {}",
        problems.join("\n  ")
    );
}

/// The pages of the book in `src/SUMMARY.md`'s order, relative to `src/`.
fn summary_pages() -> Vec<String> {
    let summary = fs::read_to_string(root().join("src/SUMMARY.md")).expect("SUMMARY.md exists");
    summary
        .lines()
        .filter_map(|line| {
            let target = line.split("](").nth(1)?.split(')').next()?;
            target.ends_with(".md").then(|| target.to_owned())
        })
        .collect()
}

/// Every page outside the appendix reads in a few minutes: at most
/// [`MAX_PAGE_WORDS`](checker::material::book::MAX_PAGE_WORDS) words as rendered, code and
/// compiler output included. `cargo test --test book -- --nocapture pages_read` prints them.
#[test]
fn pages_read_in_minutes() {
    use checker::material::book::{MAX_PAGE_WORDS, rendered_words};
    let root = root();
    let manifest = checker::material::manifest::Manifest::load(&root).expect("the manifest loads");
    let mut problems = Vec::new();
    for page in summary_pages() {
        let text = fs::read_to_string(root.join("src").join(&page)).unwrap_or_default();
        let words = rendered_words(&root, &page, &text, &manifest);
        println!("{words:>6} {page}");
        if !page.starts_with("appendix/") && words > MAX_PAGE_WORDS {
            problems.push(format!(
                "src/{page}: {words} words as rendered, more than {MAX_PAGE_WORDS}: \
                 split it along its topics"
            ));
        }
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

/// Every figure the prose quotes about the sample of public threads or about explain's
/// corpus is generated from its data (`{{#in-the-wild …}}`, `{{#explain-corpus …}}`), never
/// typed; every such reference renders; and every cause of the sample is taught by a page of
/// the book.
#[test]
fn figures_come_from_data() {
    use checker::material::figures::{ExplainCorpus, WildSample, render_figures, typed_figures};
    let root = root();
    let sample = WildSample::load(&root).expect("the sample loads and agrees with itself");
    let corpus = ExplainCorpus::load(&root).expect("the corpus and its runs load");
    let pages = summary_pages();
    let titles = std::collections::HashMap::new();
    let mut problems = Vec::new();
    for cause in &sample.causes {
        if !pages.contains(&cause.page) {
            problems.push(format!(
                "cause {}: no page {} in SUMMARY.md",
                cause.id, cause.page
            ));
        }
    }
    let src = root.join("src");
    for page in self::pages(&src) {
        let rel = page
            .strip_prefix(&src)
            .unwrap_or(&page)
            .display()
            .to_string();
        let text = fs::read_to_string(&page).unwrap_or_default();
        problems.extend(typed_figures(&rel, &text));
        if let Err(problem) = render_figures(&text, &rel, &sample, &corpus, &titles) {
            problems.push(problem);
        }
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

/// A rule is stated where it is taught, and linked elsewhere: each of these statements
/// appears on its page and on no other page outside the appendix's summaries.
#[test]
fn rules_are_stated_once() {
    const RULES: &[(&str, &[&str])] = &[
        (
            "understanding/send-sync.md",
            &["`arc<t>` is `send`", "`arc<s>` is `send`"],
        ),
        ("understanding/send-sync.md", &["`mutex<t>` is `sync` when"]),
        (
            "understanding/send-sync.md",
            &[
                "`&t` is `send` only",
                "`&t` is `send` exactly",
                "`&t` is `send` when",
                "`&t` is `send` if",
            ],
        ),
        (
            "understanding/send-sync.md",
            &["`&mut t` is `send` whenever", "`&mut t` is `send` when"],
        ),
    ];
    // Tables that list every proof or message by what it shows, not prose that teaches.
    const SUMMARIES: &[&str] = &["appendix/at-a-glance.md", "appendix/error-index.md"];
    let src = root().join("src");
    let mut problems = Vec::new();
    for (teaching, phrases) in RULES {
        let mut taught = false;
        for page in self::pages(&src) {
            let rel = page
                .strip_prefix(&src)
                .unwrap_or(&page)
                .display()
                .to_string();
            let text = fs::read_to_string(&page)
                .unwrap_or_default()
                .to_lowercase()
                .replace("**", "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let count: usize = phrases.iter().map(|p| text.matches(p).count()).sum();
            if rel == *teaching {
                taught |= count > 0;
            } else if count > 0 && !SUMMARIES.contains(&rel.as_str()) {
                problems.push(format!(
                    "src/{rel} restates {:?} {count} time(s): link to src/{teaching} instead",
                    phrases[0]
                ));
            }
        }
        if !taught {
            problems.push(format!("src/{teaching} no longer states {:?}", phrases[0]));
        }
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

/// Links to docs.rs name a version, never `latest` or a bare major, and for a crate the
/// material depends on, the version `Cargo.lock` pins: the page a reader opens documents
/// the code the book was checked with.
#[test]
fn docs_rs_links_name_the_pinned_version() {
    let root = root();
    let mut pinned = std::collections::HashMap::new();
    for lock in ["Cargo.lock", "lab/Cargo.lock"] {
        let text = fs::read_to_string(root.join(lock)).unwrap_or_default();
        let mut name = None;
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("name = ") {
                name = Some(n.trim_matches('"').to_owned());
            } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
                pinned
                    .entry(n)
                    .or_insert_with(Vec::new)
                    .push(v.trim_matches('"').to_owned());
            }
        }
    }
    let src = root.join("src");
    let mut problems = Vec::new();
    for page in self::pages(&src) {
        let rel = page
            .strip_prefix(&src)
            .unwrap_or(&page)
            .display()
            .to_string();
        let text = fs::read_to_string(&page).unwrap_or_default();
        for link in text.split("https://docs.rs/").skip(1) {
            let path = link.split([')', ' ', '"', '>']).next().unwrap_or_default();
            let parts: Vec<&str> = path.split('/').collect();
            let (krate, version) = match parts.as_slice() {
                ["crate", krate, version, ..] | [krate, version, ..] => (*krate, *version),
                _ => continue,
            };
            let exact = version.split('.').count() == 3
                && version
                    .split('.')
                    .all(|p| p.chars().all(|c| c.is_ascii_digit()));
            if !exact {
                problems.push(format!("src/{rel}: docs.rs/{path} names no exact version"));
            } else if let Some(versions) = pinned.get(krate)
                && !versions.iter().any(|v| v == version)
            {
                problems.push(format!(
                    "src/{rel}: docs.rs/{path}, but Cargo.lock pins {krate} {}",
                    versions.join(", ")
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

/// Every page `explain` sends a reader to is a page of the book.
#[test]
fn explain_points_at_pages_of_the_book() {
    use checker::explain::{Kind, Shape, page_for};
    let pages = summary_pages();
    let mut problems = Vec::new();
    for kind in Kind::ALL {
        for shape in Shape::ALL {
            let page = page_for(kind, shape);
            if !pages.iter().any(|p| p == page) {
                problems.push(format!("{kind}/{shape}: {page} is not in SUMMARY.md"));
            }
        }
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}
