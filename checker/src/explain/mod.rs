//! Turns the compiler's diagnostics about a future that is not `Send` into diagnoses a
//! learner can act on: which value, of which type, bound where, alive at which `.await`,
//! what kind of value it is, how it came to be held there, the fix and the book's page.
//!
//! "future cannot be sent between threads safely" has no error code, so the diagnostics are
//! recognised by their structure: a note "future is not `Send` as this value is used across
//! an await" whose primary span is the `.await` and whose other span is the value. Where the
//! diagnostic alone cannot tell the shape (a temporary in a `match` scrutinee, say), the
//! source is read with `syn` ([`shape`]).
//!
//! This room uses nothing else of the checker's: it reads diagnostics and source text, and
//! the manifest, the book and the learner's CLI build on its vocabulary.

mod classify;
mod shape;
pub mod vocabulary;

use std::collections::BTreeSet;

use cargo_metadata::diagnostic::{Diagnostic, DiagnosticSpan};
use serde::Serialize;

pub use classify::{fix_for, kind_of_type, page_for};
pub use vocabulary::{Kind, Shape};

/// One problem: a value that is not `Send` where a `Send` future is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub kind: Kind,
    pub shape: Shape,
    /// The type of the value, as the compiler names it (`None` for a lifetime error).
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// The variable that holds it, or the expression that makes it as a temporary.
    pub binding: Option<String>,
    pub file: String,
    pub value_line: Option<usize>,
    pub await_line: Option<usize>,
    pub fix: String,
    /// The book page that explains it, relative to `src/`.
    pub page: String,
}

/// What a source file looks like, for the questions diagnostics cannot answer.
pub trait Sources {
    fn read(&self, file: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> Sources for F {
    fn read(&self, file: &str) -> Option<String> {
        self(file)
    }
}

/// Every diagnosis in `diagnostics`, one per value and `.await` even when the compiler
/// reports the same problem twice (as axum's `debug_handler` and `Handler` errors do).
pub fn diagnose(diagnostics: &[Diagnostic], sources: &dyn Sources) -> Vec<Diagnosis> {
    let mut found = Vec::new();
    for diagnostic in diagnostics {
        if let Some(diagnosis) = not_send(diagnostic, sources) {
            found.push(diagnosis);
        } else if let Some(diagnosis) = not_static(diagnostic) {
            found.push(diagnosis);
        }
    }
    dedup(&mut found);
    found
}

/// Keeps one diagnosis per value and `.await`, and one per async block that borrows locals
/// (the compiler reports E0373 once for each borrowed variable: their names are joined).
pub fn dedup(found: &mut Vec<Diagnosis>) {
    let mut merged: Vec<Diagnosis> = Vec::new();
    for diagnosis in found.drain(..) {
        if diagnosis.shape == Shape::NotStatic
            && let Some(same_block) = merged.iter_mut().find(|d| {
                d.shape == Shape::NotStatic
                    && d.file == diagnosis.file
                    && d.value_line == diagnosis.value_line
            })
        {
            if let (Some(names), Some(more)) = (&mut same_block.binding, &diagnosis.binding)
                && !names.split(", ").any(|n| n == more)
            {
                names.push_str(", ");
                names.push_str(more);
            }
            continue;
        }
        merged.push(diagnosis);
    }
    let mut seen = BTreeSet::new();
    merged.retain(|d| {
        seen.insert((
            d.file.clone(),
            d.value_line,
            d.await_line,
            d.binding.clone(),
            d.shape,
        ))
    });
    *found = merged;
}

/// The name of the handler in an axum "`Handler<_, _>` is not satisfied" error, which names
/// no value: `explain` compiles the file again with `#[axum::debug_handler]` on it.
pub fn unexplained_handler(diagnostic: &Diagnostic) -> Option<(String, String)> {
    if !(diagnostic.message.contains("Handler<") && diagnostic.message.contains("not satisfied")) {
        return None;
    }
    let span = diagnostic.spans.iter().find(|s| s.is_primary)?;
    let name = highlighted(span)?;
    let name = name.rsplit("::").next()?.trim().to_owned();
    name.chars()
        .all(|c| c.is_alphanumeric() || c == '_')
        .then(|| (span.file_name.clone(), name))
}

/// "future cannot be sent between threads safely", and its cousin for a value moved into a
/// spawned future ("`Rc<…>` cannot be sent between threads safely" with a note
/// "captured value is not `Send`").
fn not_send(diagnostic: &Diagnostic, sources: &dyn Sources) -> Option<Diagnosis> {
    if !diagnostic
        .message
        .contains("cannot be sent between threads safely")
    {
        return None;
    }
    let innermost = innermost_type(diagnostic);

    for note in &diagnostic.children {
        if note.message.contains("is used across an await") {
            let await_span = note.spans.iter().find(|s| s.is_primary)?;
            let value_span = note.spans.iter().find(|s| !s.is_primary)?;
            let type_name =
                between_backticks(value_span.label.as_deref()?).or_else(|| innermost.clone());
            let text = highlighted(value_span).unwrap_or_default();
            let (binding, is_variable) = binding_of(&text);
            let source = sources.read(&value_span.file_name);
            let shape = if is_variable {
                if source.as_deref().is_some_and(|s| {
                    shape::dropped_before(s, &binding, value_span.line_start, await_span.line_start)
                }) {
                    Shape::DroppedAfterBorrow
                } else {
                    Shape::HeldAcrossAwait
                }
            } else {
                source
                    .as_deref()
                    .and_then(|s| {
                        shape::of_temporary(s, value_span.line_start, value_span.column_start)
                    })
                    .unwrap_or(Shape::TemporaryInStatement)
            };
            let kind = kind_of_type(type_name.as_deref(), innermost.as_deref());
            return Some(build(
                kind,
                shape,
                type_name,
                Some(binding),
                &value_span.file_name,
                Some(value_span.line_start),
                Some(await_line(await_span)),
            ));
        }
        if note.message.contains("captured value is not `Send`") {
            let span = note.spans.iter().find(|s| s.is_primary)?;
            let binding = highlighted(span);
            let kind = kind_of_type(innermost.as_deref(), None);
            return Some(build(
                kind,
                Shape::Captured,
                innermost,
                binding,
                &span.file_name,
                Some(span.line_start),
                None,
            ));
        }
    }
    None
}

/// E0373: an async block that borrows a local, passed where `'static` is required. A
/// lifetime problem that looks like a `Send` one.
fn not_static(diagnostic: &Diagnostic) -> Option<Diagnosis> {
    let code = diagnostic.code.as_ref()?;
    if code.code != "E0373" {
        return None;
    }
    let span = diagnostic.spans.iter().find(|s| s.is_primary)?;
    let borrowed = diagnostic
        .spans
        .iter()
        .find_map(|s| between_backticks(s.label.as_deref()?));
    Some(build(
        Kind::None,
        Shape::NotStatic,
        None,
        borrowed,
        &span.file_name,
        Some(span.line_start),
        None,
    ))
}

fn build(
    kind: Kind,
    shape: Shape,
    type_name: Option<String>,
    binding: Option<String>,
    file: &str,
    value_line: Option<usize>,
    await_line: Option<usize>,
) -> Diagnosis {
    Diagnosis {
        kind,
        shape,
        type_name,
        binding,
        file: file.to_owned(),
        value_line,
        await_line,
        fix: fix_for(kind, shape).to_owned(),
        page: page_for(kind, shape).to_owned(),
    }
}

/// The type in "the trait `Send` is not implemented for `T`": the innermost culprit.
fn innermost_type(diagnostic: &Diagnostic) -> Option<String> {
    let all = std::iter::once(diagnostic).chain(diagnostic.children.iter());
    all.filter_map(|d| {
        let (_, rest) = d.message.split_once("is not implemented for `")?;
        Some(rest.rsplit_once('`')?.0.to_owned())
    })
    .next()
}

/// The `.await` span points at the `await` keyword (through a macro expansion, for
/// `.await`); its line is the line of the keyword.
fn await_line(span: &DiagnosticSpan) -> usize {
    span.line_start
}

/// The source text a span covers, on its first line.
fn highlighted(span: &DiagnosticSpan) -> Option<String> {
    // A span over several lines (`app.smtp\n.lock()\n.unwrap()`) is joined into one line.
    let mut text = String::new();
    for line in &span.text {
        let start = line.highlight_start.checked_sub(1)?;
        let end = line.highlight_end.checked_sub(1)?;
        let part: String = line
            .text
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect();
        text.push_str(part.trim());
    }
    (!text.is_empty() || span.text.is_empty()).then_some(text)
}

/// `mut guard` → (`guard`, a variable); `m.lock().unwrap()` → (the expression, a temporary).
fn binding_of(text: &str) -> (String, bool) {
    let name = text
        .trim()
        .trim_start_matches("ref ")
        .trim_start_matches("mut ")
        .trim();
    let is_variable = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    (name.to_owned(), is_variable)
}

/// The first `…` quoted in a label.
fn between_backticks(label: &str) -> Option<String> {
    let (_, rest) = label.split_once('`')?;
    // Types contain no backticks, but may contain `'_`: take up to the last backtick that
    // closes the first quote (labels here quote one thing).
    let end = rest.find("` which").or_else(|| rest.find('`'))?;
    Some(rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binding_is_told_from_a_temporary() {
        assert_eq!(binding_of("mut verifiers"), ("verifiers".into(), true));
        assert_eq!(binding_of("guard"), ("guard".into(), true));
        assert!(!binding_of("routes.lock().unwrap()").1);
    }

    #[test]
    fn one_diagnosis_per_value_and_one_per_borrowing_block() {
        let not_static = |name: &str| {
            build(
                Kind::None,
                Shape::NotStatic,
                None,
                Some(name.into()),
                "f.rs",
                Some(26),
                None,
            )
        };
        let guard = build(
            Kind::StdMutexGuard,
            Shape::HeldAcrossAwait,
            None,
            Some("g".into()),
            "f.rs",
            Some(3),
            Some(5),
        );
        let mut found = vec![
            not_static("pending"),
            not_static("sink"),
            guard.clone(),
            guard,
        ];
        dedup(&mut found);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].binding.as_deref(), Some("pending, sink"));
    }

    #[test]
    fn labels_give_their_quoted_type() {
        assert_eq!(
            between_backticks("has type `std::sync::MutexGuard<'_, u64>` which is not `Send`")
                .as_deref(),
            Some("std::sync::MutexGuard<'_, u64>")
        );
    }
}
