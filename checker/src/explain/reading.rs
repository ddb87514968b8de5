//! Reads one compiler diagnostic into what it says, by its structure: the family of the
//! error (its headline), the trait that is missing and for which innermost type, the chain
//! of types that leads there, and the evidence the notes give (a value alive at an
//! `.await`, an awaited future, a captured value, a bound that cannot be satisfied).
//!
//! Spans and their labels carry most of it: an `.await` is a span expanded from the
//! `await` desugaring, a type is the first thing a label quotes between backticks. Wording
//! is matched only where the structure says nothing else (the headline, a few note
//! kinds), and then on the fewest words that tell the forms apart.

use cargo_metadata::diagnostic::{Diagnostic, DiagnosticSpan};

/// What kind of error a diagnostic is, from its headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// "future cannot be sent between threads safely", or "`T` cannot be sent …".
    NotSend,
    /// "future cannot be shared between threads safely", or "`T` cannot be shared …".
    NotShared,
    /// "implementation of `Send` / `FnOnce` is not general enough", "higher-ranked lifetime
    /// error".
    NotGeneralEnough,
    /// "cannot satisfy `impl Future…: Send`" (E0283), or a cycle through an opaque type
    /// (E0391): a future whose `Send` depends on itself.
    SelfReferential,
    /// E0373: an async block borrows a local and must be `'static`; or E0521 / E0597: a
    /// borrow (a reference parameter, a local) that a spawned future would keep past it.
    NotStatic,
}

/// A note's evidence about where the culprit is held.
#[derive(Debug, Clone)]
pub enum Evidence<'a> {
    /// "… as this value is used across an await": the value and the `.await`.
    AcrossAwait {
        value: &'a DiagnosticSpan,
        at: &'a DiagnosticSpan,
        value_type: Option<String>,
    },
    /// "… as it awaits another future which is not `Send`": the awaited expression.
    AwaitsFuture {
        at: &'a DiagnosticSpan,
        awaited_type: Option<String>,
    },
    /// "captured value is not `Send`": a value moved (or a reference taken) into the future.
    Captured {
        value: &'a DiagnosticSpan,
        value_type: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Reading<'a> {
    pub family: Family,
    pub headline: String,
    /// The future's or the type's span in the headline.
    pub primary: Option<&'a DiagnosticSpan>,
    /// Every span of the headline (E0373 labels the borrowed variable on one of them).
    pub spans: &'a [DiagnosticSpan],
    /// For a headline about a type rather than a future (`Rc<…>` cannot be sent): the type.
    pub subject_type: Option<String>,
    /// The trait the culprit lacks: `Send` or `Sync`.
    pub missing: Option<String>,
    /// The innermost type that lacks it.
    pub culprit: Option<String>,
    /// The types the compiler says the culprit sits in (the help's "within `W`" first).
    pub within: Vec<String>,
    /// The same from the notes alone, in the compiler's order: innermost first.
    pub notes_within: Vec<String>,
    /// The type that holds the culprit directly: the first "required because it appears
    /// within the type" note, or else the help line's "within `W`".
    pub container: Option<String>,
    appears_within_seen: bool,
    pub evidence: Vec<Evidence<'a>>,
    /// The type in "cannot satisfy `T: Send`", when a note or the headline says so.
    pub unsatisfiable: Option<String>,
    /// For a higher-ranked error: the borrowed type that must work for every lifetime
    /// (`&'0 String` in "closure with signature `fn(&'0 String) -> …`").
    pub higher_ranked: Option<String>,
    /// Whether a note says the culprit is "used within this `async` fn body": it sits inside
    /// the future of a function that is awaited, not in a value moved into the task.
    pub inside_async_body: bool,
    /// Whether rustc suggests making `Send` part of a trait method's future (its help for
    /// an `async fn` in a trait).
    pub trait_method_help: bool,
    /// Where the types of "required because it appears within the type" are defined, as
    /// the compiler points at them: a file of the reader's (relative, or in the workspace)
    /// or of a dependency (cargo's registry, the toolchain's sources).
    pub definitions: Vec<Definition>,
    /// What asks for the trait: `Extensions::insert` in "required by a bound in
    /// `Extensions::insert`" (the last such note: the outermost caller).
    pub bound_site: Option<String>,
    /// For a higher-ranked error: the line of the closure (or its async block) that must
    /// work for every lifetime, from the note's `{async block@file:LINE:…}`.
    pub closure_line: Option<usize>,
    /// Whether any part of the diagnostic speaks of a future or an async body: when none
    /// does, the bound is on a plain type (a state, a thread's closure, an extension).
    pub mentions_future: bool,
    /// The bodies of async functions the culprit is "used within", innermost first: the
    /// functions whose futures carry it, when the compiler names no value.
    pub async_bodies: Vec<(String, usize)>,
}

/// A type the compiler says the culprit sits in, and where that type is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub type_name: String,
    pub file: String,
    pub line: usize,
}

/// Reads `diagnostic`, or `None` if it is not about `Send`, `Sync` or their cousins.
pub fn read(diagnostic: &Diagnostic) -> Option<Reading<'_>> {
    let message = diagnostic.message.as_str();
    let code = diagnostic.code.as_ref().map(|c| c.code.as_str());
    let family = if message.contains("cannot be sent between threads safely") {
        Family::NotSend
    } else if message.contains("cannot be shared between threads safely") {
        Family::NotShared
    } else if message.contains("is not general enough")
        || message.contains("higher-ranked lifetime error")
    {
        Family::NotGeneralEnough
    } else if message.contains(": Sync` is not satisfied") {
        Family::NotShared
    } else if message.contains(": Send` is not satisfied") {
        Family::NotSend
    } else if code == Some("E0373")
        || matches!(code, Some("E0310" | "E0521" | "E0597" | "E0716"))
            && diagnostic.spans.iter().any(|s| {
                s.label
                    .as_deref()
                    .is_some_and(|l| l.contains("'static") || l.contains("static lifetime"))
            })
    {
        // E0373, or a borrow that a spawned future must hold for `'static`.
        Family::NotStatic
    } else if (code == Some("E0283") || message.contains("cannot satisfy"))
        && mentions_send(message)
        || code == Some("E0391") && message.contains("opaque")
    {
        Family::SelfReferential
    } else {
        return None;
    };

    let primary = diagnostic.spans.iter().find(|s| s.is_primary);
    let subject_type = message
        .strip_prefix('`')
        .and_then(|rest| rest.split_once("` cannot be "))
        .map(|(ty, _)| ty.to_owned())
        .or_else(|| {
            // "`?` couldn't convert the error: `(dyn Error + Send + 'static): Sync` is not
            // satisfied"
            let (_, rest) = message.split_once(": `")?;
            let (ty, _) = rest.rsplit_once(": ")?;
            Some(ty.to_owned())
        });
    let mut reading = Reading {
        family,
        headline: message.to_owned(),
        primary,
        spans: &diagnostic.spans,
        subject_type,
        missing: None,
        culprit: None,
        within: Vec::new(),
        notes_within: Vec::new(),
        container: None,
        appears_within_seen: false,
        evidence: Vec::new(),
        unsatisfiable: unsatisfiable(message),
        higher_ranked: None,
        inside_async_body: false,
        trait_method_help: false,
        definitions: Vec::new(),
        bound_site: None,
        closure_line: None,
        mentions_future: speaks_of_future(diagnostic),
        async_bodies: Vec::new(),
    };

    for child in &diagnostic.children {
        let text = child.message.as_str();
        if let Some((within, missing, culprit)) = not_implemented(text) {
            if reading.culprit.is_none() {
                reading.missing = Some(missing);
                reading.culprit = Some(culprit);
                reading.container.clone_from(&within);
                reading.within.extend(within);
            }
            continue;
        }
        if text.starts_with("required because it's used within this `async` fn body") {
            reading.inside_async_body = true;
            if let Some(span) = child.spans.iter().find(|s| s.is_primary) {
                reading
                    .async_bodies
                    .push((span.file_name.clone(), span.line_start));
            }
            continue;
        }
        if let Some(site) = text
            .strip_prefix("required by a bound in `")
            .and_then(|rest| rest.rsplit_once('`'))
            .map(|(site, _)| site.to_owned())
        {
            reading.bound_site = Some(site);
            continue;
        }
        // "required for `&Client` to implement `Send`": a layer of the chain too.
        if let Some(ty) = text
            .strip_prefix("required for `")
            .and_then(|rest| rest.split_once("` to implement `"))
            .map(|(ty, _)| ty.to_owned())
        {
            reading.notes_within.push(ty.clone());
            reading.within.push(ty);
            continue;
        }
        if let Some(ty) = text
            .strip_prefix("required because it appears within the type `")
            .and_then(|rest| rest.rsplit_once('`'))
            .map(|(ty, _)| ty.to_owned())
        {
            if !reading.appears_within_seen {
                reading.container = Some(ty.clone());
                reading.appears_within_seen = true;
            }
            if let Some(span) = child.spans.iter().find(|s| s.is_primary) {
                reading.definitions.push(Definition {
                    type_name: ty.clone(),
                    file: span.file_name.clone(),
                    line: span.line_start,
                });
            }
            reading.notes_within.push(ty.clone());
            reading.within.push(ty);
            continue;
        }
        if let Some(ty) = unsatisfiable(text) {
            reading.unsatisfiable.get_or_insert(ty);
            continue;
        }
        if family == Family::NotGeneralEnough && reading.higher_ranked.is_none() {
            reading.higher_ranked = for_some_lifetime(text);
        }
        if family == Family::NotGeneralEnough && reading.closure_line.is_none() {
            reading.closure_line = anonymous_type_line(text);
        }
        if text.contains("associated future") && text.contains("guarantees") {
            reading.trait_method_help = true;
            continue;
        }
        if let Some(evidence) = evidence_of(child) {
            reading.evidence.push(evidence);
        }
    }
    Some(reading)
}

/// Whether the diagnostic, anywhere, is about a future: an async block or body, an opaque
/// future, an `.await`.
fn speaks_of_future(diagnostic: &Diagnostic) -> bool {
    let about_future = |text: &str| {
        text.contains("async")
            || text.contains("Future")
            || text.contains("future")
            || text.contains("await")
    };
    about_future(&diagnostic.message)
        || diagnostic.spans.iter().any(|s| {
            s.label.as_deref().is_some_and(about_future)
                || s.expansion
                    .as_ref()
                    .is_some_and(|e| about_future(&e.macro_decl_name))
        })
        || diagnostic.children.iter().any(speaks_of_future)
}

fn mentions_send(text: &str) -> bool {
    text.contains(": Send`") || text.contains(": std::marker::Send`")
}

/// `T` in "cannot satisfy `T: Send`".
fn unsatisfiable(text: &str) -> Option<String> {
    let (_, rest) = text.split_once("cannot satisfy `")?;
    let (ty, _) = rest.rsplit_once(": ")?;
    mentions_send(text).then(|| ty.to_owned())
}

/// "within `W`, the trait `Send` is not implemented for `C`" → (`[W]`, `Send`, `C`).
fn not_implemented(text: &str) -> Option<(Option<String>, String, String)> {
    let (before, after) = text.split_once(" is not implemented for `")?;
    let culprit = after.rsplit_once('`')?.0.to_owned();
    let (head, missing) = before.rsplit_once("the trait `")?;
    let missing = missing.trim_end_matches('`').to_owned();
    let within = head
        .strip_prefix("within `")
        .and_then(|rest| rest.rsplit_once('`'))
        .map(|(w, _)| w.to_owned())
        .filter(|w| !is_anonymous(w));
    Some((within, missing, culprit))
}

/// The line in `{async block@src/a.rs:28:21: 28:31}` or `{closure@src/a.rs:28:9}`.
fn anonymous_type_line(text: &str) -> Option<usize> {
    let at = text
        .find("{async block@")
        .or_else(|| text.find("{closure@"))?;
    let rest = &text[at..];
    let location = rest.split_once('@')?.1;
    let mut parts = location.split(':');
    parts.next()?;
    parts.next()?.trim().parse().ok()
}

/// The first type borrowed for a named lifetime (`&'0 String`) in a note.
fn for_some_lifetime(text: &str) -> Option<String> {
    let start = text.find("&'0 ")?;
    let rest = &text[start..];
    let mut depth = 0usize;
    for (at, c) in rest.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ']' => depth = depth.saturating_sub(1),
            ')' if depth == 0 => return Some(rest[..at].to_owned()),
            ')' => depth -= 1,
            ',' | '`' if depth == 0 => return Some(rest[..at].to_owned()),
            _ => {}
        }
    }
    Some(rest.to_owned())
}

/// A type the reader did not name: an async block's or an opaque future's.
pub fn is_anonymous(ty: &str) -> bool {
    ty.starts_with("{async") || ty.starts_with("impl Future") || ty.starts_with("{closure")
}

fn evidence_of(child: &Diagnostic) -> Option<Evidence<'_>> {
    let is_await = |span: &DiagnosticSpan| {
        span.expansion
            .as_ref()
            .is_some_and(|e| e.macro_decl_name.contains("await"))
            || span.label.as_deref().is_some_and(|l| l.contains("await"))
    };
    let primary = child.spans.iter().find(|s| s.is_primary)?;
    let other = child.spans.iter().find(|s| !s.is_primary);
    match other {
        Some(value) if is_await(primary) => Some(Evidence::AcrossAwait {
            value,
            at: primary,
            value_type: value.label.as_deref().and_then(first_quoted),
        }),
        None if primary
            .label
            .as_deref()
            .is_some_and(|l| l.contains("await")) =>
        {
            Some(Evidence::AwaitsFuture {
                at: primary,
                awaited_type: primary.label.as_deref().and_then(first_quoted),
            })
        }
        // A captured value's label names the trait it lacks; a bound's label ("required by
        // this bound in `spawn`") does not.
        None if primary
            .label
            .as_deref()
            .is_some_and(|l| l.contains("`Send`") || l.contains("`Sync`")) =>
        {
            Some(Evidence::Captured {
                value: primary,
                value_type: primary.label.as_deref().and_then(first_quoted),
            })
        }
        _ => None,
    }
}

/// The first `…` quoted in a label. Types contain no backticks, but may contain `'_`.
pub fn first_quoted(label: &str) -> Option<String> {
    let (_, rest) = label.split_once('`')?;
    let end = rest
        .find("` which")
        .or_else(|| rest.find("`,"))
        .or_else(|| rest.find('`'))?;
    Some(rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lines_give_the_culprit_and_what_it_sits_in() {
        assert_eq!(
            not_implemented("within `Warmer`, the trait `Sync` is not implemented for `Cell<u64>`"),
            Some((Some("Warmer".into()), "Sync".into(), "Cell<u64>".into()))
        );
        assert_eq!(
            not_implemented("the trait `Send` is not implemented for `dyn Future<Output = u32>`"),
            Some((None, "Send".into(), "dyn Future<Output = u32>".into()))
        );
        assert_eq!(
            not_implemented(
                "within `{async block@src/a.rs:3:18: 3:23}`, the trait `Send` is not implemented for `*mut ()`"
            ),
            Some((None, "Send".into(), "*mut ()".into()))
        );
    }

    #[test]
    fn higher_ranked_notes_give_the_borrowed_type() {
        assert_eq!(
            for_some_lifetime(
                "closure with signature `fn(&'0 String) -> {async block@src/a.rs:20:25: 20:35}` must implement"
            )
            .as_deref(),
            Some("&'0 String")
        );
        assert_eq!(
            for_some_lifetime("`Send` would have to be implemented for the type `&'0 Sender<u32>`, for any lifetime `'0`...")
                .as_deref(),
            Some("&'0 Sender<u32>")
        );
    }

    #[test]
    fn cannot_satisfy_names_its_type() {
        assert_eq!(
            unsatisfiable(
                "type annotations needed: cannot satisfy `impl Future<Output = u32>: Send`"
            )
            .as_deref(),
            Some("impl Future<Output = u32>")
        );
        assert_eq!(unsatisfiable("cannot satisfy `T: Clone`"), None);
    }

    #[test]
    fn labels_give_their_quoted_type() {
        assert_eq!(
            first_quoted("has type `std::sync::MutexGuard<'_, u64>` which is not `Send`")
                .as_deref(),
            Some("std::sync::MutexGuard<'_, u64>")
        );
        assert_eq!(
            first_quoted("await occurs here on type `Pin<Box<dyn Future<Output = u32>>>`, which is not `Send`")
                .as_deref(),
            Some("Pin<Box<dyn Future<Output = u32>>>")
        );
    }
}
