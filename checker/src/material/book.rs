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
    let as_shipped = match exercise.outcome {
        Outcome::CompileFail => "does not compile",
        Outcome::RunsWrong => "compiles, but its check fails",
    };
    let number = id.split('-').next().unwrap_or(id);
    let _ = write!(
        out,
        "\n```admonish example title=\"Exercise {number} · {title}\"\n\
         Your copy: `workshop/exercises/{id}.rs` · As shipped, it {as_shipped}. \
         Done when `cargo workshop check {number}` says it is solved.\n```\n",
        title = escape_title(&exercise.title),
    );
    let _ = write!(
        out,
        "\n```admonish tip collapsible=true title=\"Hints for {id}\"\n"
    );
    for (n, hint) in exercise.hints.iter().enumerate() {
        let _ = writeln!(out, "{}. {hint}", n + 1);
    }
    out.push_str("```\n");
    let _ = write!(
        out,
        "\n```admonish success collapsible=true title=\"Solutions to {id}\"\n"
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
        let list: Vec<&str> = manifest
            .exercises
            .iter()
            .filter(|e| matches(e))
            .map(|e| e.id.split('-').next().unwrap_or(&e.id))
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
        let _ = writeln!(
            out,
            "| `{shape}` | {} | {} | {} | {} |",
            shape.meaning(),
            fix_for(Kind::StdMutexGuard, shape).replace('|', "\\|"),
            page_link(page_for(Kind::StdMutexGuard, shape)),
            numbers(&|e| e.diagnosis.shape == shape)
        );
    }
    out
}

/// Admonition titles sit inside double quotes.
fn escape_title(title: &str) -> String {
    title.replace('"', "'")
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
