//! Fixes that make the error go away by promising instead of by changing the code.
//!
//! `unsafe impl Send for Warmer {}` compiles, and so does a wrapper with an `unsafe impl
//! Send` around a future, or an `#[allow]` of the lint that points at a guard held across
//! an `.await`. None of them changes what the code does: each tells the compiler (or
//! clippy) to stop checking, on the author's word. The checker reads the learner's file
//! with `syn` and names every such promise that the exercise as shipped did not have, so
//! that a promise is never taken for a solution.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::material::book::page_links;
use crate::material::manifest::Exercise;
use crate::workshop::constraints::Broken;

/// The page that says why an `unsafe impl` is a promise and not a fix.
pub const UNSAFE_PAGE: &str = "other/raw-pointers.md";

/// The page about the lints that find a guard held across an `.await`.
pub const LINTS_PAGE: &str = "traps/clippy.md";

/// The lints the book teaches, and the groups they belong to: allowing any of them in an
/// exercise silences the very warning the exercise is about.
const TAUGHT_LINTS: &[&str] = &[
    "await_holding_lock",
    "await_holding_refcell_ref",
    "await_holding_invalid_type",
    "future_not_send",
    "arc_with_non_send_sync",
    "non_send_fields_in_send_ty",
    "suspicious",
    "nursery",
    "all",
];

/// One promise found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    /// The line it is on, from 1.
    pub line: usize,
    /// The line's text, trimmed: what the learner wrote.
    pub code: String,
    /// What it promises, in a sentence.
    pub means: String,
    /// The book page that explains why it is not a fix (relative to `src/`).
    pub page: &'static str,
}

/// Every promise in `attempt` that `pristine` (the exercise as shipped) does not make too.
/// A file that does not parse has no promises to report: the compiler reports it instead.
pub fn new_promises(attempt: &str, pristine: &str) -> Vec<Promise> {
    let Ok(found) = promises(attempt) else {
        return Vec::new();
    };
    // The shipped file's own promises (none, so far) are not the learner's.
    let mut shipped: BTreeMap<String, usize> = BTreeMap::new();
    for promise in promises(pristine).unwrap_or_default() {
        *shipped.entry(promise.code).or_default() += 1;
    }
    found
        .into_iter()
        .filter(|promise| match shipped.get_mut(&promise.code) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// Every promise in `source`, in the order of the file.
pub fn promises(source: &str) -> Result<Vec<Promise>> {
    let file = syn::parse_file(source).context("parsing the file as Rust")?;
    let mut finder = Finder {
        lines: source.lines().collect(),
        found: Vec::new(),
    };
    finder.visit_file(&file);
    finder.found.sort_by_key(|p| p.line);
    finder.found.dedup();
    Ok(finder.found)
}

struct Finder<'a> {
    lines: Vec<&'a str>,
    found: Vec<Promise>,
}

impl Finder<'_> {
    fn push(&mut self, span: proc_macro2::Span, means: String, page: &'static str) {
        let line = span.start().line;
        let code = self
            .lines
            .get(line.saturating_sub(1))
            .map(|l| l.trim().to_owned())
            .unwrap_or_default();
        self.found.push(Promise {
            line,
            code,
            means,
            page,
        });
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if let (Some(unsafety), Some((_, path, _))) = (&item.unsafety, &item.trait_) {
            let name = path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            let ty = type_name(&item.self_ty);
            let means = match name.as_str() {
                "Send" => format!(
                    "it tells the compiler that a value of type `{ty}` may move to another \
                     thread, and the compiler takes that on trust: it no longer checks what is \
                     inside"
                ),
                "Sync" => format!(
                    "it tells the compiler that two threads may use one `{ty}` at once, and \
                     the compiler takes that on trust: it no longer checks what is inside"
                ),
                _ => format!("an `unsafe impl` of `{name}`: a promise the compiler takes on trust"),
            };
            self.push(unsafety.span(), means, UNSAFE_PAGE);
        }
        syn::visit::visit_item_impl(self, item);
    }

    fn visit_expr_unsafe(&mut self, block: &'ast syn::ExprUnsafe) {
        self.push(
            block.unsafe_token.span(),
            "an `unsafe` block: the compiler stops checking what it does, on your word".into(),
            UNSAFE_PAGE,
        );
        syn::visit::visit_expr_unsafe(self, block);
    }

    fn visit_signature(&mut self, signature: &'ast syn::Signature) {
        if let Some(unsafety) = &signature.unsafety {
            self.push(
                unsafety.span(),
                format!(
                    "an `unsafe fn {}`: its callers must keep promises the compiler cannot check",
                    signature.ident
                ),
                UNSAFE_PAGE,
            );
        }
        syn::visit::visit_signature(self, signature);
    }

    fn visit_attribute(&mut self, attribute: &'ast syn::Attribute) {
        let path = attribute.path();
        if path.is_ident("allow") || path.is_ident("expect") {
            let mut silenced = Vec::new();
            // An attribute that does not parse as a list of paths silences nothing we know.
            let _ = attribute.parse_nested_meta(|meta| {
                let lint: Vec<String> = meta
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if let [tool, name] = lint.as_slice()
                    && tool == "clippy"
                    && TAUGHT_LINTS.contains(&name.as_str())
                {
                    silenced.push(format!("clippy::{name}"));
                }
                Ok(())
            });
            for lint in silenced {
                self.push(
                    attribute.span(),
                    format!(
                        "it silences `{lint}`, the lint that finds this very mistake; the \
                         code it warned about is still there"
                    ),
                    LINTS_PAGE,
                );
            }
        }
        syn::visit::visit_attribute(self, attribute);
    }
}

/// What `cargo workshop check` prints for an attempt that compiles by a promise, or by
/// breaking what its exercise asks to keep: which, where, why it is not a fix, and where
/// the book explains it.
pub fn verdict(
    root: &Path,
    exercise: &Exercise,
    promises: &[Promise],
    broken: &[Broken],
) -> String {
    let mut out = String::new();
    if !promises.is_empty() {
        out.push_str("\n~ It compiles, but by a promise the code does not keep. Not solved.\n");
        for promise in promises {
            let _ = writeln!(out, "\n  line {}: {}", promise.line, promise.code);
            let _ = writeln!(out, "    {}.", capitalised(&promise.means));
        }
        out.push_str(
            "\n  A promise makes the error go away without changing what the code does. Take \
             it out, and fix what the compiler pointed at.\n",
        );
        let mut pages: Vec<&str> = promises.iter().map(|p| p.page).collect();
        pages.dedup();
        for page in pages {
            let _ = writeln!(out, "  Why it is not a fix: {}", page_links(root, page));
        }
    }
    for constraint in broken {
        let _ = writeln!(
            out,
            "\n~ It compiles, but it does not keep what the exercise asks: {}. Not solved.\n  {}.",
            constraint.says,
            capitalised(&constraint.found)
        );
    }
    let _ = writeln!(
        out,
        "\n  The book: {}   Stuck? `cargo workshop hint {}`",
        page_links(root, &exercise.page),
        exercise.number
    );
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The name of a type as the learner wrote its head: `Warmer`, `AssertSend`.
fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(|| "type".to_owned(), |s| s.ident.to_string()),
        syn::Type::Reference(reference) => type_name(&reference.elem),
        _ => "value of this type".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_impls_blocks_and_allowed_lints_are_promises() {
        let source = "\
struct Warmer;
unsafe impl Sync for Warmer {}
struct AssertSend<F>(F);
unsafe impl<F> Send for AssertSend<F> {}
#[allow(clippy::await_holding_lock, dead_code)]
fn f() { let _ = unsafe { std::mem::zeroed::<u8>() }; }
#[allow(clippy::manual_async_fn)]
fn g() {}
";
        let found = promises(source).expect("it parses");
        let lines: Vec<usize> = found.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 4, 5, 6], "{found:#?}");
        assert!(found[0].means.contains("two threads may use one `Warmer`"));
        assert!(found[1].means.contains("type `AssertSend` may move"));
        assert_eq!(found[2].page, LINTS_PAGE);
        assert_eq!(found[1].code, "unsafe impl<F> Send for AssertSend<F> {}");
    }

    #[test]
    fn the_shipped_files_promises_are_not_the_learners() {
        let pristine = "struct W;\nunsafe impl Send for W {}\n";
        let attempt =
            "struct W;\n// a comment\nunsafe impl Send for W {}\nunsafe impl Sync for W {}\n";
        let found = new_promises(attempt, pristine);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].line, 4);
    }
}
