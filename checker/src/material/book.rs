//! What the book takes from the material, and the rules that keep the book honest.
//!
//! * [`exercises_section`] renders the exercises of a page from the manifest; the
//!   `mdbook-exercises` preprocessor appends it to every page that teaches an exercise.
//! * [`code_block_problems`] checks a page's code blocks: Rust code is either included from
//!   a file the test suite compiles, or a std-only snippet that `mdbook test` compiles;
//!   compiler output is only ever included from a `.stderr` file that trybuild checks.

use std::fmt::Write as _;

use crate::material::manifest::{Exercise, Manifest, Outcome};

/// Folders whose files the tests compile (and, for `.stderr`, check); `lab/` is tested by
/// `cargo xtask test`, since it is a workspace of its own.
pub const TESTED_FOLDERS: &[&str] = &["exercises/", "solutions/", "proofs/", "lab/"];

/// The markdown that ends `page` (a path relative to `src/`): its exercises, their hints
/// and their solutions, each in a collapsible callout. `None` if the page has none.
pub fn exercises_section(manifest: &Manifest, page: &str) -> Option<String> {
    let exercises: Vec<&Exercise> = manifest
        .exercises
        .iter()
        .filter(|e| e.page == page)
        .collect();
    if exercises.is_empty() {
        return None;
    }
    let mut out = String::from("\n\n## Exercises\n\n");
    out.push_str(
        "Work on them in your clone of the repository. `cargo workshop` shows where you are \
         and makes your own copy of the next exercise in `workshop/exercises/`; \
         `cargo workshop check N` tells you whether your fix compiles *and* behaves.\n",
    );
    for exercise in exercises {
        render_exercise(&mut out, exercise);
    }
    Some(out)
}

fn render_exercise(out: &mut String, exercise: &Exercise) {
    let id = &exercise.id;
    let number = exercise.number;
    let as_shipped = match exercise.outcome {
        Outcome::CompileFail => "does not compile",
        Outcome::RunsWrong => "compiles, but its check fails",
    };
    let _ = write!(
        out,
        "\n<a id=\"{}\"></a>\n\n```admonish example title=\"Exercise {number} · {title}\"\n\
         Your copy: `workshop/exercises/{id}.rs` · As shipped, it {as_shipped}. \
         Done when `cargo workshop check {number}` (or `cargo workshop check {id}`) says \
         it is solved.\n```\n",
        anchor(id),
        title = escape_title(&exercise.title),
    );
    let _ = write!(
        out,
        "\n```admonish tip collapsible=true title=\"Hints for exercise {number}\"\n"
    );
    for (n, hint) in exercise.hints.iter().enumerate() {
        let _ = writeln!(out, "{}. {hint}", n + 1);
    }
    out.push_str("```\n");
    let _ = write!(
        out,
        "\n```admonish success collapsible=true title=\"Solutions to exercise {number}\"\n"
    );
    for solution in &exercise.solutions {
        let _ = writeln!(out, "- `solutions/{}`: {}", solution.file, solution.note);
    }
    out.push_str("```\n");
}

/// The appendix's tables of kinds and shapes: what each means, what `explain` advises, the
/// page to read, and the exercises of each. Generated, so they always say what `explain`
/// says and list the exercises the manifest has.
pub fn kinds_and_shapes(
    manifest: &Manifest,
    titles: &std::collections::HashMap<String, String>,
) -> String {
    use crate::explain::{Kind, Shape};
    use crate::explain::{fix_for, page_for};

    let numbers = |matches: &dyn Fn(&Exercise) -> bool| -> String {
        let list: Vec<String> = manifest
            .exercises
            .iter()
            .filter(|e| matches(e))
            .map(|e| e.number.to_string())
            .collect();
        if list.is_empty() {
            "—".to_owned()
        } else {
            list.join(", ")
        }
    };
    let page_link = |page: &str| {
        let title = titles.get(page).map_or(page, String::as_str);
        let title = title.replace('<', "\\<").replace('>', "\\>");
        format!("[{title}](../{page})")
    };

    let mut out = String::from("## Kinds: what the value is\n\n");
    out.push_str("| kind | the value | page | exercises |\n|---|---|---|---|\n");
    for kind in Kind::ALL {
        let _ = writeln!(
            out,
            "| `{kind}` | {} | {} | {} |",
            kind.meaning(),
            page_link(page_for(kind, Shape::HeldAcrossAwait)),
            numbers(&|e| e.diagnosis.kind == kind)
        );
    }
    out.push_str("\n## Shapes: how it comes to be held\n\n");
    out.push_str("| shape | how | what `explain` advises | page | exercises |\n");
    out.push_str("|---|---|---|---|---|\n");
    for shape in Shape::ALL {
        // The advice and page for a shape depend on the kind too: take a kind typical of it.
        let kind = match shape {
            Shape::Captured => Kind::Rc,
            Shape::AwaitsNonSendFuture
            | Shape::Recursive
            | Shape::SyncRequired
            | Shape::UnnamedValue => Kind::Other,
            Shape::NotGeneralEnough | Shape::NotStatic => Kind::None,
            _ => Kind::StdMutexGuard,
        };
        let _ = writeln!(
            out,
            "| `{shape}` | {} | {} | {} | {} |",
            shape.meaning(),
            fix_for(kind, shape).replace('|', "\\|"),
            page_link(page_for(kind, shape)),
            numbers(&|e| e.diagnosis.shape == shape)
        );
    }
    out
}

/// Where `cargo xtask book` serves the book.
pub const SERVED_BOOK: &str = "http://127.0.0.1:3000";

/// Links to a page (a path relative to `src/`) that a learner can open: in the book served
/// by `cargo xtask book`, and in the published book once `book.toml` names it
/// (`published-url` under `[preprocessor.exercises]`).
pub fn page_links(root: &std::path::Path, page: &str) -> String {
    let html = page.strip_suffix(".md").unwrap_or(page);
    let mut links = format!("{SERVED_BOOK}/{html}.html");
    if let Some(published) = published_url(root) {
        let _ = write!(links, " or {}/{html}.html", published.trim_end_matches('/'));
    }
    links
}

fn published_url(root: &std::path::Path) -> Option<String> {
    published_url_in(&std::fs::read_to_string(root.join("book.toml")).ok()?)
}

/// `published-url` under `[preprocessor.exercises]` in the text of a `book.toml`, without a
/// trailing slash, if it is set.
pub fn published_url_in(book_toml: &str) -> Option<String> {
    let config: toml::Table = book_toml.parse().ok()?;
    let url = config
        .get("preprocessor")?
        .get("exercises")?
        .get("published-url")?
        .as_str()?
        .trim_end_matches('/');
    (!url.is_empty()).then(|| url.to_owned())
}

/// The id of the anchor in front of an exercise's box, for links to it.
pub fn anchor(id: &str) -> String {
    format!("exercise-{id}")
}

/// Fills in a page's references to exercises, so prose never types a number:
///
/// * `{{#exercise SLUG}}` and `{{#Exercise SLUG}}`: "exercise N", linked to its box (the
///   link's tooltip is its title);
/// * `{{#exercise-title SLUG}}`: "exercise N, *Title*", linked;
/// * `{{#exercise-link SLUG}}`: "N", linked, for tables;
/// * `{{#exercise-number SLUG}}`: "N" alone, for titles of callouts and commands.
///
/// `page` is the path of the page relative to `src/`. An unknown slug is an error.
pub fn exercise_references(
    content: &str,
    page: &str,
    manifest: &Manifest,
) -> Result<String, String> {
    expand_placeholders(content, |form, args| {
        if !matches!(
            form,
            "exercise" | "Exercise" | "exercise-title" | "exercise-link" | "exercise-number"
        ) {
            return Ok(None);
        }
        let slug = args.first().copied().unwrap_or_default();
        let exercise = manifest.get(slug).ok_or_else(|| {
            format!("{page}: {{{{#{form} {slug}}}}} names no exercise in the manifest")
        })?;
        let number = exercise.number;
        let link = if exercise.page == page {
            format!("#{}", anchor(slug))
        } else {
            let up = "../".repeat(page.matches('/').count());
            format!("{up}{}#{}", exercise.page, anchor(slug))
        };
        let tooltip = exercise.title.replace('"', "'");
        Ok(Some(match form {
            "exercise-number" => format!("{number}"),
            "exercise-link" => format!("[{number}]({link} \"{tooltip}\")"),
            "exercise-title" => format!(
                "[exercise {number}, *{}*]({link} \"{tooltip}\")",
                exercise.title
            ),
            "Exercise" => format!("[Exercise {number}]({link} \"{tooltip}\")"),
            _ => format!("[exercise {number}]({link} \"{tooltip}\")"),
        }))
    })
}

/// The file (and anchor) a line `{{#include ../../solutions/x.rs:anchor}}` includes,
/// relative to the repository: `solutions/x.rs:anchor`.
pub fn include_target(line: &str) -> Option<&str> {
    let mut path = line
        .trim()
        .strip_prefix("{{#include ")?
        .strip_suffix("}}")?
        .trim();
    while let Some(rest) = path.strip_prefix("../").or_else(|| path.strip_prefix("./")) {
        path = rest;
    }
    Some(path)
}

/// Replaces each `{{#form args…}}` in `content` with what `render` makes of it; a form it
/// answers `None` for is left as it is, for mdBook or another step of the preprocessor.
pub fn expand_placeholders(
    content: &str,
    mut render: impl FnMut(&str, &[&str]) -> Result<Option<String>, String>,
) -> Result<String, String> {
    const OPEN: &str = "{{#";
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find("}}") else {
            break;
        };
        let mut words = after[..end].split_whitespace();
        let form = words.next().unwrap_or_default();
        let args: Vec<&str> = words.collect();
        match render(form, &args)? {
            Some(rendered) => {
                out.push_str(&rest[..start]);
                out.push_str(&rendered);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[..start + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Places where `text` (the page `page`) types an exercise's number ("exercise 3",
/// "Exercises 4"), which goes stale as soon as an exercise is inserted before it.
pub fn typed_exercise_numbers(page: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let lower = line.to_ascii_lowercase();
        for (at, _) in lower.match_indices("exercise") {
            let after = lower[at + "exercise".len()..].trim_start_matches('s');
            let Some(after) = after.strip_prefix(' ') else {
                continue;
            };
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                problems.push(format!(
                    "{page}:{}: a typed exercise number; write {{{{#exercise SLUG}}}} instead",
                    n + 1
                ));
            }
        }
    }
    problems
}

/// The most words a page outside the appendix may have as rendered: a page a reader
/// finishes in a few minutes.
pub const MAX_PAGE_WORDS: usize = 2000;

/// The words of `page` (a path relative to `src/`, its markdown `text`) as a reader sees it:
/// every `{{#include}}` expanded (code and compiler output count), the exercises the
/// preprocessor appends, and no link targets, tags or fences. A word is anything between
/// blanks, as `wc -w` counts.
pub fn rendered_words(
    root: &std::path::Path,
    page: &str,
    text: &str,
    manifest: &Manifest,
) -> usize {
    let dir = root.join("src").join(page);
    let dir = dir.parent().unwrap_or(root);
    let mut expanded = String::with_capacity(text.len() * 2);
    let mut rest = text;
    while let Some(start) = rest.find("{{#include ") {
        expanded.push_str(&rest[..start]);
        let after = &rest[start + "{{#include ".len()..];
        let Some(end) = after.find("}}") else {
            break;
        };
        expanded.push_str(&included_text(dir, after[..end].trim()));
        rest = &after[end + 2..];
    }
    expanded.push_str(rest);
    if let Some(section) = exercises_section(manifest, page) {
        expanded.push_str(&section);
    }
    let mut words = 0;
    for line in expanded.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("<a id=") {
            continue;
        }
        let mut visible = String::with_capacity(line.len());
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            // A link's target is not read: `[text](target)` shows `text`.
            if c == ']' && line[at + 1..].starts_with('(') {
                let close = line[at..].find(')').map_or(line.len(), |i| at + i);
                while chars.peek().is_some_and(|&(i, _)| i <= close) {
                    chars.next();
                }
                visible.push(' ');
                continue;
            }
            visible.push(c);
        }
        words += visible.split_whitespace().count();
    }
    words
}

/// The text an `{{#include FILE[:ANCHOR | :FROM:TO]}}` stands for, read from `dir`, without
/// anchor lines; empty if the file is missing (another test reports that).
fn included_text(dir: &std::path::Path, target: &str) -> String {
    let (file, range) = match target.split_once(':') {
        Some((file, range)) => (file, Some(range)),
        None => (target, None),
    };
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let selected: Vec<&str> = match range {
        None => lines,
        Some(range) => {
            let (from, to) = range.split_once(':').unwrap_or((range, ""));
            match (from.parse::<usize>(), to.parse::<usize>()) {
                (Ok(from), Ok(to)) => lines
                    .get(from.saturating_sub(1)..to.min(lines.len()))
                    .unwrap_or_default()
                    .to_vec(),
                (Ok(from), Err(_)) if range.contains(':') => lines
                    .get(from.saturating_sub(1)..)
                    .unwrap_or_default()
                    .to_vec(),
                (Ok(from), Err(_)) => lines
                    .get(from.saturating_sub(1)..from)
                    .unwrap_or_default()
                    .to_vec(),
                (Err(_), Ok(to)) => lines
                    .get(..to.min(lines.len()))
                    .unwrap_or_default()
                    .to_vec(),
                (Err(_), Err(_)) => {
                    let name = range.trim();
                    let mut inside = false;
                    let mut picked = Vec::new();
                    for line in &lines {
                        if line.contains("ANCHOR:") && line.split_whitespace().last() == Some(name)
                        {
                            inside = true;
                        } else if line.contains("ANCHOR_END:")
                            && line.split_whitespace().last() == Some(name)
                        {
                            inside = false;
                        } else if inside {
                            picked.push(*line);
                        }
                    }
                    picked
                }
            }
        }
    };
    let mut out = String::new();
    for line in selected {
        if !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Admonition titles sit inside double quotes.
fn escape_title(title: &str) -> String {
    title.replace('"', "'")
}

/// Set (to anything) by `cargo xtask book` when it serves the book on this machine: the
/// preprocessor then gives the material's blocks a Run button that compiles here. Never set
/// for `--build-only`, CI or a published build, where nothing could run them.
pub const RUN_IN_PAGE_ENV: &str = "CANNOT_BE_SENT_RUN_IN_PAGE";

/// The class of a block that runs only with the material's crates, on a reader's machine.
pub const RUNS_LOCALLY_CLASS: &str = "runs-locally";

/// Starts the class that names where a runnable block comes from: `run-from:FILE#ANCHOR`.
pub const RUN_FROM_CLASS: &str = "run-from:";

/// A file of the material whose regions the book can run: an exercise, or one of its
/// solutions (which runs the exercise's behaviour check).
#[derive(Debug, Clone, Copy)]
pub enum Runnable<'a> {
    Exercise(&'a Exercise),
    Solution(&'a Exercise, &'a str),
}

impl<'a> Runnable<'a> {
    /// What `file` (relative to the root, like `exercises/oauth-callback.rs`) is, if the
    /// book can run it. Only files the manifest names qualify: never any other path.
    pub fn of(manifest: &'a Manifest, file: &str) -> Option<Runnable<'a>> {
        if let Some(name) = file.strip_prefix("exercises/") {
            let slug = name.strip_suffix(".rs")?;
            return manifest.get(slug).map(Runnable::Exercise);
        }
        let name = file.strip_prefix("solutions/")?;
        manifest.exercises.iter().find_map(|exercise| {
            exercise
                .solutions
                .iter()
                .find(|solution| solution.file == name)
                .map(|solution| Runnable::Solution(exercise, solution.file.as_str()))
        })
    }

    pub fn exercise(&self) -> &'a Exercise {
        match self {
            Runnable::Exercise(exercise) | Runnable::Solution(exercise, _) => exercise,
        }
    }

    /// The file, relative to the root.
    pub fn file(&self) -> String {
        match self {
            Runnable::Exercise(exercise) => exercise.source_rel(),
            Runnable::Solution(_, file) => format!("solutions/{file}"),
        }
    }
}

/// Marks the page's blocks that show a region of an exercise or a solution (a `rust,ignore`
/// block that is one `{{#include FILE:ANCHOR}}`) with [`RUNS_LOCALLY_CLASS`]. When
/// `serving` (see [`RUN_IN_PAGE_ENV`]), they also become editable and runnable, and say
/// where they come from, so the book's server can put the edited region back into its file.
/// Blocks typed in the page are left alone: `mdbook test` checks them, and they keep
/// mdBook's own Run.
pub fn runnable_blocks(content: &str, manifest: &Manifest, serving: bool) -> String {
    let lines: Vec<&str> = content.split_inclusive('\n').collect();
    let mut out = String::with_capacity(content.len() + 256);
    for (index, line) in lines.iter().enumerate() {
        let origin = lines
            .get(index + 1..index + 3)
            .and_then(|next| runnable_origin(line, next[0], next[1], manifest));
        let Some(origin) = origin else {
            out.push_str(line);
            continue;
        };
        // The fence's info string gets the classes; the line ending stays as it was.
        let fence = line.trim_end().len();
        out.push_str(&line[..fence]);
        let _ = write!(out, ",{RUNS_LOCALLY_CLASS}");
        if serving {
            let _ = write!(out, ",mdbook-runnable,editable,{RUN_FROM_CLASS}{origin}");
        }
        out.push_str(&line[fence..]);
    }
    out
}

/// Starts the class that gives the line of its file a runnable block starts on:
/// `run-line:N`, so the page numbers the block's lines as the compiler does.
pub const RUN_LINE_CLASS: &str = "run-line:";

/// `content` with [`RUN_LINE_CLASS`] after each [`RUN_FROM_CLASS`] of a fence whose region's
/// first line `first_line(FILE, ANCHOR)` knows.
pub fn numbered_blocks(content: &str, first_line: &dyn Fn(&str, &str) -> Option<usize>) -> String {
    let mut out = String::with_capacity(content.len() + 64);
    for line in content.split_inclusive('\n') {
        let origin = line
            .trim_start()
            .starts_with("```")
            .then(|| line.split(RUN_FROM_CLASS).nth(1))
            .flatten()
            .map(|rest| {
                rest.split([',', ' ', '\n', '\r'])
                    .next()
                    .unwrap_or_default()
            });
        let number = origin.and_then(|origin| {
            let (file, anchor) = origin.split_once('#')?;
            first_line(file, anchor)
        });
        match number {
            Some(number) => {
                let end = line.trim_end().len();
                let _ = write!(
                    out,
                    "{},{RUN_LINE_CLASS}{number}{}",
                    &line[..end],
                    &line[end..]
                );
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The line (counting from 1) that the region `anchor` of `text` starts on, past its
/// `ANCHOR:` marker.
pub fn region_first_line(text: &str, anchor: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.split_once("ANCHOR:")
                .is_some_and(|(_, name)| name.trim() == anchor)
        })
        .map(|at| at + 2)
}

/// `FILE#ANCHOR` if `open`, `body` and `close` are a `rust,ignore` fence around one include
/// of a runnable file's named region.
fn runnable_origin(open: &str, body: &str, close: &str, manifest: &Manifest) -> Option<String> {
    let open = open.trim();
    let ticks = open.chars().take_while(|&c| c == '`').count();
    if ticks < 3 || open[ticks..].trim() != "rust,ignore" {
        return None;
    }
    let close = close.trim();
    if close.len() < ticks || close.chars().any(|c| c != '`') {
        return None;
    }
    let (file, anchor) = include_target(body)?.split_once(':')?;
    let named = !anchor.is_empty()
        && anchor
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !anchor.chars().all(|c| c.is_ascii_digit());
    if !named {
        return None;
    }
    Runnable::of(manifest, file)?;
    Some(format!("{file}#{anchor}"))
}

/// A fenced code block of a page.
#[derive(Debug, PartialEq, Eq)]
pub struct CodeBlock {
    /// The line the block starts on, counting from 1.
    pub line: usize,
    /// The info string after the opening fence, e.g. `rust,ignore`.
    pub info: String,
    pub body: String,
}

/// The fenced code blocks of a markdown page, in order. Fences inside a longer fence (an
/// admonition that shows code) are part of the outer block's body.
pub fn code_blocks(markdown: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, usize, String, String)> = None; // (line, fence length, info, body)
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence = trimmed.chars().take_while(|&c| c == '`').count();
        match &mut open {
            None if fence >= 3 => {
                open = Some((
                    index + 1,
                    fence,
                    trimmed[fence..].trim().to_owned(),
                    String::new(),
                ));
            }
            Some((start, length, info, body)) => {
                if fence >= *length && trimmed[fence..].trim().is_empty() {
                    blocks.push(CodeBlock {
                        line: *start,
                        info: std::mem::take(info),
                        body: std::mem::take(body),
                    });
                    open = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
            None => {}
        }
    }
    blocks
}

/// Every way the code blocks of `page` (its markdown `text`) break the book's rules.
pub fn code_block_problems(page: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for block in code_blocks(text) {
        let at = format!("src/{page}:{}", block.line);
        let language = block.info.split([',', ' ']).next().unwrap_or_default();
        let attributes: Vec<&str> = block.info.split([',', ' ']).skip(1).collect();
        let includes: Vec<&str> = block
            .body
            .lines()
            .filter_map(|line| line.trim().strip_prefix("{{#include "))
            .map(|rest| rest.trim_end_matches("}}").trim())
            .collect();
        let included_from_tested = !includes.is_empty()
            && includes.iter().all(|path| {
                let path = path.trim_start_matches("../").trim_start_matches("./");
                TESTED_FOLDERS.iter().any(|folder| path.starts_with(folder))
            });

        if language == "rust" {
            if !includes.is_empty() && !included_from_tested {
                problems.push(format!(
                    "{at}: Rust code is included only from exercises/, solutions/ or proofs/"
                ));
            }
            if included_from_tested && !attributes.contains(&"ignore") {
                problems.push(format!(
                    "{at}: code included from the material needs `rust,ignore`: the test \
                     suite compiles it with its dependencies, `mdbook test` cannot"
                ));
            }
            if attributes.contains(&"compile_fail") && !attributes.contains(&"noplayground") {
                problems.push(format!(
                    "{at}: a `compile_fail` snippet needs `noplayground` too, so that readers \
                     get no Run button that can only fail"
                ));
            }
            if includes.is_empty() && attributes.contains(&"ignore") {
                problems.push(format!(
                    "{at}: a snippet typed in the page must be checked by `mdbook test`; \
                     instead of `ignore`, include it from a proof (or mark it compile_fail)"
                ));
            }
        } else if looks_like_compiler_output(&block.body) {
            let from_stderr = !includes.is_empty()
                && included_from_tested
                && includes.iter().all(|path| path.ends_with(".stderr"));
            if !from_stderr {
                problems.push(format!(
                    "{at}: compiler output must be included from a checked .stderr file, \
                     not typed in"
                ));
            }
        }
    }
    problems
}

fn looks_like_compiler_output(body: &str) -> bool {
    body.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("error[E")
            || line.starts_with("error: ")
            || line.starts_with("warning: ")
            || line.starts_with("note: ")
            || line.starts_with("--> ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_exercises() -> Manifest {
        let text = r#"
            [[exercise]]
            id = "first"
            title = "The first"
            page = "story/a.md"
            outcome = "compile-fail"
            diagnosis = { kind = "rc", shape = "captured" }
            hints = ["a", "b"]
            solution = [{ file = "first.rs", note = "n" }]

            [[exercise]]
            id = "second"
            title = "The \"second\""
            page = "traps/b.md"
            outcome = "compile-fail"
            diagnosis = { kind = "rc", shape = "captured" }
            hints = ["a", "b"]
            solution = [{ file = "second.rs", note = "n" }]
        "#;
        let mut manifest: Manifest = toml::from_str(text).expect("a valid manifest");
        for (place, exercise) in manifest.exercises.iter_mut().enumerate() {
            exercise.number = place + 1;
        }
        manifest
    }

    #[test]
    fn references_render_the_current_number_and_link_to_the_box() {
        let manifest = two_exercises();
        let page = "Try {{#exercise second}}; {{#Exercise first}} first. \
                    {{#exercise-title first}} | {{#exercise-link second}} | \
                    check {{#exercise-number second}} {{#include x.rs}}";
        let rendered = exercise_references(page, "traps/b.md", &manifest).expect("renders");
        assert_eq!(
            rendered,
            "Try [exercise 2](#exercise-second \"The 'second'\"); \
             [Exercise 1](../story/a.md#exercise-first \"The first\") first. \
             [exercise 1, *The first*](../story/a.md#exercise-first \"The first\") | \
             [2](#exercise-second \"The 'second'\") | check 2 {{#include x.rs}}"
        );
        let unknown = exercise_references("{{#exercise third}}", "traps/b.md", &manifest);
        assert!(unknown.is_err_and(|e| e.contains("third")));
    }

    #[test]
    fn page_links_name_the_served_book_and_the_published_one_once_known() {
        let root = std::env::temp_dir().join(format!("page-links-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("a temporary folder");
        assert_eq!(
            page_links(&root, "fixes/scope.md"),
            "http://127.0.0.1:3000/fixes/scope.html"
        );
        std::fs::write(
            root.join("book.toml"),
            "[preprocessor.exercises]\npublished-url = \"https://example.org/book/\"\n",
        )
        .expect("book.toml is written");
        assert_eq!(
            page_links(&root, "fixes/scope.md"),
            "http://127.0.0.1:3000/fixes/scope.html or https://example.org/book/fixes/scope.html"
        );
        std::fs::remove_dir_all(&root).ok();
    }

    #[test]
    fn blocks_of_exercises_and_solutions_run_locally() {
        let manifest = two_exercises();
        let page = "```rust,ignore\n{{#include ../../exercises/first.rs:handler}}\n```\n\
                    ````admonish success\n```rust,ignore\n\
                    {{#include ../../solutions/second.rs:handler}}\n```\n````\n\
                    ```rust,ignore\n{{#include ../../proofs/compiles/x.rs:all}}\n```\n\
                    ```rust,ignore\n{{#include ../../exercises/first.rs:1:20}}\n```\n\
                    ```rust,ignore\n{{#include ../../exercises/third.rs:handler}}\n```\n\
                    ```rust\nfn main() {}\n```\n";
        let published = runnable_blocks(page, &manifest, false);
        assert_eq!(published.matches("rust,ignore,runs-locally\n").count(), 2);
        assert_eq!(published.len(), page.len() + 2 * ",runs-locally".len());
        let served = runnable_blocks(page, &manifest, true);
        assert!(served.contains(
            "```rust,ignore,runs-locally,mdbook-runnable,editable,\
             run-from:exercises/first.rs#handler\n"
        ));
        assert!(served.contains("run-from:solutions/second.rs#handler\n"));
        assert_eq!(served.matches("mdbook-runnable").count(), 2);
    }

    #[test]
    fn served_blocks_say_the_line_they_start_on() {
        let page = "```rust,ignore,runs-locally,mdbook-runnable,editable,run-from:exercises/a.rs#handler\n\
                    {{#include ../exercises/a.rs:handler}}\n```\n```rust\nfn main() {}\n```\n";
        let numbered = numbered_blocks(page, &|file, anchor| {
            (file == "exercises/a.rs" && anchor == "handler").then_some(41)
        });
        assert!(numbered.starts_with(
            "```rust,ignore,runs-locally,mdbook-runnable,editable,run-from:exercises/a.rs#handler,run-line:41\n"
        ));
        assert!(numbered.ends_with("```rust\nfn main() {}\n```\n"));
        let file = "use x;\n// ANCHOR: handler\nfn a() {}\n// ANCHOR_END: handler\n";
        assert_eq!(region_first_line(file, "handler"), Some(3));
        assert_eq!(region_first_line(file, "state"), None);
    }

    #[test]
    fn only_files_the_manifest_names_are_runnable() {
        let manifest = two_exercises();
        let found =
            |file: &str| Runnable::of(&manifest, file).map(|r| (r.exercise().id.clone(), r.file()));
        assert_eq!(
            found("exercises/first.rs"),
            Some(("first".into(), "exercises/first.rs".into()))
        );
        assert_eq!(
            found("solutions/second.rs"),
            Some(("second".into(), "solutions/second.rs".into()))
        );
        for file in [
            "exercises/../Cargo.toml",
            "exercises/third.rs",
            "solutions/third.rs",
            "exercises/../exercises/first.rs",
            "/etc/passwd",
            "proofs/compiles/x.rs",
        ] {
            assert!(found(file).is_none(), "{file}");
        }
    }

    #[test]
    fn typed_numbers_are_found() {
        assert_eq!(
            typed_exercise_numbers("p.md", "see exercise 3 and Exercises 4, 5").len(),
            2
        );
        assert!(
            typed_exercise_numbers("p.md", "the exercises in `exercises/`; {{#exercise a}}")
                .is_empty()
        );
    }

    #[test]
    fn finds_fenced_blocks_with_their_info() {
        let page = "text\n```rust,ignore\n{{#include ../../exercises/01-x.rs:handler}}\n```\n\
                    more\n````admonish\n```rust\nfn f() {}\n```\n````\n";
        let blocks = code_blocks(page);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].info, "rust,ignore");
        assert_eq!(blocks[0].line, 2);
        assert!(blocks[1].body.contains("fn f()"));
    }

    #[test]
    fn accepts_the_two_honest_kinds_of_rust_block() {
        let page = "```rust,ignore\n{{#include ../../solutions/01-x.rs:handler}}\n```\n\
                    ```rust\nfn main() {}\n```\n\
                    ```text\n{{#include ../../exercises/01-x.stderr}}\n```\n";
        assert_eq!(code_block_problems("p.md", page), Vec::<String>::new());
    }

    #[test]
    fn refuses_typed_errors_untested_includes_and_ignored_snippets() {
        let typed = "```text\nerror: future cannot be sent between threads safely\n```\n";
        assert_eq!(code_block_problems("p.md", typed).len(), 1);
        let elsewhere = "```rust,ignore\n{{#include ../notes/x.rs}}\n```\n";
        assert_eq!(code_block_problems("p.md", elsewhere).len(), 1);
        let ignored = "```rust,ignore\nfn main() {}\n```\n";
        let runnable_failure = "```rust,compile_fail\nfn main() { let x: u8 = 300; }\n```\n";
        assert_eq!(code_block_problems("p.md", runnable_failure).len(), 1);
        assert_eq!(code_block_problems("p.md", ignored).len(), 1);
        let untested_include = "```rust\n{{#include ../../exercises/01-x.rs}}\n```\n";
        assert_eq!(code_block_problems("p.md", untested_include).len(), 1);
    }
}
