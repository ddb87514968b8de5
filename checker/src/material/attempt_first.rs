//! Attempt first: every solution the book shows waits behind a "Show the solution".
//!
//! A page teaches an exercise by showing its code, the error, the reasoning, and then the
//! fix, included from `solutions/`. A reader who is about to try the exercise should not
//! have the answer in front of them, so the `mdbook-exercises` preprocessor puts each block
//! that shows a solution into a collapsed callout, like the answers to "Does it compile?".
//! The prose around it stays: it says what to do, the collapsed code shows how.

use std::fmt::Write as _;

/// The class of the collapsed callout around a solution (mdbook-admonish adds it to the
/// `<details>` element), which the book's script and the browser test look for.
pub const SOLUTION_BOX_CLASS: &str = "solution-box";

/// The class added to a solution's code block itself.
pub const SOLUTION_CODE_CLASS: &str = "solution";

/// What the collapsed callout says.
pub const SHOW: &str = "Show the solution";

/// `content` with every top-level code block that shows a file of `solutions/` (only
/// `{{#include}}`s of it) put into a collapsed callout. Blocks already inside a callout (an
/// answer, say) are left alone: they are collapsed already, or meant to be read.
pub fn solutions_behind_a_show(content: &str) -> String {
    let lines: Vec<&str> = content.split_inclusive('\n').collect();
    let mut out = String::with_capacity(content.len() + 512);
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let Some(ticks) = fence_ticks(line) else {
            out.push_str(line);
            index += 1;
            continue;
        };
        let close = lines[index + 1..]
            .iter()
            .position(|l| closes(l, ticks))
            .map(|at| index + 1 + at);
        let Some(close) = close else {
            // An unclosed fence runs to the end of the page: nothing to wrap after it.
            for line in &lines[index..] {
                out.push_str(line);
            }
            break;
        };
        let block = &lines[index..=close];
        match solution_files(block) {
            Some(files) => wrap(&mut out, block, ticks, &files),
            None => block.iter().for_each(|l| out.push_str(l)),
        }
        index = close + 1;
    }
    out
}

/// The number of backticks that open a fence on `line`, if it opens one.
fn fence_ticks(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let ticks = trimmed.chars().take_while(|&c| c == '`').count();
    (ticks >= 3).then_some(ticks)
}

fn closes(line: &str, ticks: usize) -> bool {
    let trimmed = line.trim();
    trimmed.len() >= ticks && trimmed.chars().all(|c| c == '`')
}

/// The solution files a Rust block includes, if it is made of nothing else.
fn solution_files(block: &[&str]) -> Option<Vec<String>> {
    let info = block.first()?.trim().trim_start_matches('`');
    if !info.starts_with("rust") {
        return None;
    }
    let body = &block[1..block.len() - 1];
    let mut files = Vec::new();
    for line in body.iter().filter(|l| !l.trim().is_empty()) {
        let file = crate::material::book::include_target(line)?.strip_prefix("solutions/")?;
        let file = file.split(':').next().unwrap_or(file);
        files.push(format!("solutions/{file}"));
    }
    (!files.is_empty()).then_some(files)
}

fn wrap(out: &mut String, block: &[&str], ticks: usize, files: &[String]) {
    let outer = "`".repeat(ticks.max(3) + 1);
    let mut named = files.to_vec();
    named.dedup();
    let _ = writeln!(
        out,
        "{outer}admonish success collapsible=true class=\"{SOLUTION_BOX_CLASS}\" \
         title=\"{SHOW} ({})\"",
        named.join(", ")
    );
    for (n, line) in block.iter().enumerate() {
        if n == 0 {
            let fence = line.trim_end().len();
            out.push_str(&line[..fence]);
            let _ = write!(out, ",{SOLUTION_CODE_CLASS}");
            out.push_str(&line[fence..]);
        } else {
            out.push_str(line);
        }
    }
    if !block.last().is_some_and(|l| l.ends_with('\n')) {
        out.push('\n');
    }
    let _ = writeln!(out, "{outer}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solution_block_is_collapsed_and_everything_else_left_alone() {
        let page = "Fix it:\n\n\
                    ```rust,ignore,runs-locally\n{{#include ../../solutions/a--b.rs:handler}}\n```\n\n\
                    ```rust,ignore\n{{#include ../../exercises/a.rs:handler}}\n```\n\
                    ````admonish success collapsible=true title=\"Answer\"\n\
                    ```rust,ignore\n{{#include ../../solutions/a.rs:x}}\n```\n````\n\
                    ```text\n{{#include ../../solutions/a.rs}}\n```\n";
        let out = solutions_behind_a_show(page);
        assert_eq!(
            out.matches("admonish success collapsible=true class=\"solution-box\"")
                .count(),
            1,
            "{out}"
        );
        assert!(out.contains(
            "````admonish success collapsible=true class=\"solution-box\" \
             title=\"Show the solution (solutions/a--b.rs)\"\n\
             ```rust,ignore,runs-locally,solution\n\
             {{#include ../../solutions/a--b.rs:handler}}\n```\n````\n"
        ));
        // The rest is as it was.
        assert_eq!(
            out.replace(
                "````admonish success collapsible=true class=\"solution-box\" \
                 title=\"Show the solution (solutions/a--b.rs)\"\n",
                ""
            )
            .replacen("runs-locally,solution", "runs-locally", 1)
            .replacen("```\n````\n\n", "```\n\n", 1),
            page
        );
    }
}
