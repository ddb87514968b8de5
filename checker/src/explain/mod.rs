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
mod reading;
mod shape;
pub mod vocabulary;

use std::collections::BTreeSet;

use cargo_metadata::diagnostic::{Diagnostic, DiagnosticSpan};
use serde::Serialize;

pub use classify::{fix_for, kind_of_type, page_for};
use reading::{Evidence, Family, Reading, is_anonymous};
pub use vocabulary::{Kind, Shape};

/// The exit code of both explain commands: 0 it compiles, 1 a future is not `Send`
/// (diagnosed), 3 it does not compile for another reason.
pub fn exit_code(compiles: bool, diagnosed: bool) -> u8 {
    match (compiles, diagnosed) {
        (true, _) => 0,
        (false, true) => 1,
        (false, false) => 3,
    }
}

/// What `explain --json` prints, for `--help` (the book's appendix "explain's JSON" says the
/// same at more length).
pub const JSON_HELP: &str = "\
Exit codes: 0 it compiles; 1 a future is not Send (diagnosed); 3 it does not compile for
another reason, or it could not be checked (the message says why).

--json prints one object:
  compiles     true if the code compiles
  other_error  the first error when it fails for a reason that is not about Send, else null
  diagnoses    one per value, each with:
    kind, shape  what the value is and how it comes to be held (the book's \"Kinds and shapes\")
    headline     the compiler's message
    value        the variable or expression that holds it
    type         its type
    culprit      the innermost type that is not Send (or Sync); missing: which of the two
    chain        the types from `type` down to `culprit`
    file, line   where the value is
    await        {line, awaited, awaited_type, callee, callee_line}: the .await; for a future
                 that awaits another, the awaited expression and its type; the function
                 whose future holds the value, and where it is declared, when that is yours
    fix          one sentence: what to change
    page         the book's page that teaches it, relative to its src/
    future_of    {name, file, line}: the function whose future it spoils, when the
                 compiler named only that function (an axum handler, a middleware)
    bound        what asks for Send or Sync when no future is involved
    field        {in, field, type, suggested}: the field of your own type to change";

/// One problem: a value that is not `Send` (or not `Sync`) where the future that holds it
/// must be. Its JSON form is `explain --json`'s interface (the book's appendix "What
/// explain --json prints" documents it): the names after `rename` are stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub kind: Kind,
    pub shape: Shape,
    /// The compiler's headline, e.g. "future cannot be sent between threads safely".
    pub headline: String,
    /// The variable that holds the value, or the expression that makes it as a temporary.
    #[serde(rename = "value")]
    pub binding: Option<String>,
    /// The type of the value, as the compiler names it (`None` for a lifetime error).
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// The innermost type that is not `Send` (or not `Sync`): what really spoils it.
    pub culprit: Option<String>,
    /// The trait the culprit lacks: `Send`, `Sync`, or both (`Sync and Send`).
    pub missing: Option<String>,
    /// From the value's type down to the culprit: the types the compiler says it sits in.
    pub chain: Vec<String>,
    pub file: String,
    /// The line the value is made or bound on.
    #[serde(rename = "line")]
    pub value_line: Option<usize>,
    /// The `.await` at which it is alive, or the awaited future that is not `Send`.
    #[serde(rename = "await")]
    pub await_point: Option<AwaitPoint>,
    pub fix: String,
    /// The book page that explains it, relative to `src/`.
    pub page: String,
    /// The function whose future must be `Send`, when the compiler named only it (an axum
    /// handler, a middleware) and a recheck asked about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub future_of: Option<Place>,
    /// What asks for `Send` or `Sync` when no future is involved (`Extensions::insert`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<String>,
    /// The field of the reader's own type that spoils it, and what to make it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<FieldFix>,
    /// Made from the error's own span, without a note that names the value: another
    /// diagnosis of the same value says more.
    #[serde(skip)]
    pub vague: bool,
}

/// A function (or type) in the reader's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub name: String,
    pub file: String,
    pub line: usize,
}

/// A field of the reader's own type whose type is not `Send` (or `Sync`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldFix {
    /// The type that has the field, and where it is defined.
    #[serde(rename = "in")]
    pub owner: Place,
    pub field: String,
    #[serde(rename = "type")]
    pub field_type: String,
    /// The same type with its `Rc`, `Cell`, `RefCell` and trait objects made thread-safe.
    pub suggested: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwaitPoint {
    pub line: usize,
    /// For a future that awaits another one: the awaited expression (`store.get(id)`).
    pub awaited: Option<String>,
    /// And its type (`impl Future<Output = u32>`).
    pub awaited_type: Option<String>,
    /// The function whose future is awaited (`get` in `store.get(id)`), and the line it is
    /// declared on when that is in the reader's own file.
    pub callee: Option<String>,
    pub callee_line: Option<usize>,
}

impl Diagnosis {
    /// Names a file by another path everywhere the diagnosis mentions it (its types, the
    /// fix, the places): for a copy the compiler saw in the reader's file's stead.
    pub fn rename_path(&mut self, from: &str, to: &str) {
        if from.is_empty() || from == to {
            return;
        }
        let fix = |text: &mut String| {
            if text.contains(from) {
                *text = text.replace(from, to);
            }
        };
        for text in self
            .type_name
            .iter_mut()
            .chain(self.culprit.iter_mut())
            .chain(self.binding.iter_mut())
            .chain(self.chain.iter_mut())
            .chain([&mut self.file, &mut self.fix])
        {
            fix(text);
        }
        if let Some(point) = self.await_point.as_mut() {
            for text in point
                .awaited
                .iter_mut()
                .chain(point.awaited_type.iter_mut())
            {
                fix(text);
            }
        }
        for place in self
            .future_of
            .iter_mut()
            .chain(self.field.iter_mut().map(|f| &mut f.owner))
        {
            fix(&mut place.file);
        }
    }

    pub fn await_line(&self) -> Option<usize> {
        self.await_point.as_ref().map(|a| a.line)
    }

    /// One sentence: which value, where, and what it has to do with the `.await`.
    pub fn why(&self) -> String {
        let what = match (&self.binding, &self.type_name) {
            (Some(binding), Some(ty)) if binding != ty => {
                format!("`{binding}` (of type `{ty}`)")
            }
            (Some(binding), _) => format!("`{binding}`"),
            (None, Some(ty)) => format!("a value of type `{ty}`"),
            (None, None) => "a value".to_owned(),
        };
        let on_line = |line: Option<usize>| line.map_or(String::new(), |l| format!(" on line {l}"));
        let at = self.await_line();
        match self.shape {
            Shape::HeldAcrossAwait
            | Shape::DroppedAfterBorrow
            | Shape::TemporaryInStatement
            | Shape::MatchScrutinee
            | Shape::IfLetScrutinee => match (self.value_line, at) {
                (Some(value), Some(at)) => format!(
                    "{what}, made on line {value}, is still alive at the `.await` on line {at}"
                ),
                (value, _) => format!(
                    "{what}{} is held by the future through its `.await`s",
                    on_line(value)
                ),
            },
            Shape::Captured => format!(
                "{what}{} is moved into a future (or state) that must be `Send`",
                on_line(self.value_line)
            ),
            Shape::AwaitsNonSendFuture => {
                let awaited = self
                    .await_point
                    .as_ref()
                    .and_then(|a| a.awaited.clone())
                    .map_or("a future".to_owned(), |a| format!("`{a}`"));
                let ty = self
                    .await_point
                    .as_ref()
                    .and_then(|a| a.awaited_type.clone())
                    .map_or(String::new(), |t| format!(" (of type `{t}`)"));
                let from = self
                    .await_point
                    .as_ref()
                    .and_then(|a| Some((a.callee.clone()?, a.callee_line?)))
                    .map_or(String::new(), |(name, line)| {
                        format!(
                            "; it comes from `{name}`, declared on line {line}, whose signature \
                             does not promise a `Send` future"
                        )
                    });
                format!(
                    "the future awaits {awaited}{}, and that future{ty} is not `Send`{from}",
                    on_line(at)
                )
            }
            Shape::Recursive => format!(
                "the future's `Send` cannot be proven{}: it depends on itself, and to prove it \
                 the compiler would need the very type it is working out",
                on_line(at.or(self.value_line))
            ),
            Shape::NotGeneralEnough => format!(
                "the compiler could not prove{} that the future is `Send` for every lifetime of \
                 the borrows it holds (a higher-ranked lifetime error){}",
                on_line(self.value_line),
                self.await_point
                    .as_ref()
                    .filter(|a| Some(a.line) != self.value_line)
                    .map_or(String::new(), |a| format!(
                        "; the closure or async block that borrows is on line {}",
                        a.line
                    ))
            ),
            Shape::SyncRequired => format!(
                "{what}{} makes the future not `Sync`, and a bound asks for a `Sync` future",
                on_line(self.value_line)
            ),
            Shape::NotStatic => format!(
                "the async block{} borrows {what}, but a spawned task must own what it uses",
                on_line(self.value_line)
            ),
            Shape::RequiredByBound => {
                let must = self
                    .missing
                    .as_deref()
                    .unwrap_or("Send")
                    .replace(" and ", "` and `");
                let ty = self
                    .chain
                    .first()
                    .or(self.type_name.as_ref())
                    .map_or("a value".to_owned(), |t| format!("`{t}`"));
                let by = self
                    .bound
                    .as_deref()
                    .map_or("a bound".to_owned(), |b| format!("`{b}`"));
                let passed = match (&self.binding, self.value_line) {
                    (Some(b), Some(l)) => format!(" (`{b}`, line {l})"),
                    (None, Some(l)) => format!(" (line {l})"),
                    _ => String::new(),
                };
                format!(
                    "{by} requires {ty}{passed} to be `{must}`, and it is not; no future is \
                     involved"
                )
            }
            Shape::UnnamedValue => match &self.future_of {
                Some(f) => format!(
                    "the future of `{}` ({}:{}) is not `Send`, but the compiler names no value \
                     in it",
                    f.name, f.file, f.line
                ),
                None => "a future here is not `Send`, but the compiler names neither the \
                         function nor a value in it"
                    .to_owned(),
            },
        }
    }

    /// The diagnosis as a learner reads it: why, where the culprit sits, its kind and shape,
    /// and the fix (each line indented by two spaces). The caller adds where to read more.
    pub fn to_text(&self) -> String {
        let mut text = format!("  Why: {}.\n", self.why());
        if let Some(f) = self
            .future_of
            .as_ref()
            .filter(|_| self.shape != Shape::UnnamedValue)
        {
            text.push_str(&format!(
                "  It makes the future of `{}` ({}:{}) not `Send`.\n",
                f.name, f.file, f.line
            ));
        }
        if let Some(culprit) = self.culprit_line() {
            text.push_str(&format!("  {culprit}\n"));
        }
        text.push_str(&format!(
            "  ({}, {})\n  Fix: {}\n",
            self.kind, self.shape, self.fix
        ));
        text
    }

    /// Where the culprit sits, when it is not the value's own type: "`Cell<u64>`, inside
    /// `&Warmer` → `Warmer` → `Cell<u64>`".
    pub fn culprit_line(&self) -> Option<String> {
        let culprit = self.culprit.as_ref()?;
        if self.type_name.as_ref() == Some(culprit) && self.chain.len() < 2 {
            return None;
        }
        let missing = self.missing.as_deref().unwrap_or("Send");
        let mut line = match missing.split_once(" and ") {
            Some((a, b)) => format!("It is neither `{a}` nor `{b}` because of `{culprit}`"),
            None => format!("It is not `{missing}` because of `{culprit}`"),
        };
        if self.chain.len() > 1 {
            let chain: Vec<String> = self.chain.iter().map(|t| format!("`{t}`")).collect();
            line.push_str(&format!(": {}", chain.join(" → ")));
        }
        line.push('.');
        Some(line)
    }
}

/// What a source file looks like, for the questions diagnostics cannot answer, and what
/// of a project is the reader's own.
pub trait Sources {
    fn read(&self, file: &str) -> Option<String>;

    /// Whether a file a diagnostic names is the reader's: by default a relative path is
    /// (the compiler names the package's files relative to it) and an absolute one, in
    /// cargo's registry or the toolchain's sources, is not.
    fn is_own_file(&self, file: &str) -> bool {
        std::path::Path::new(file).is_relative()
    }

    /// Whether a crate named at the start of a type's path is the reader's own (a member
    /// of the workspace, or a module of theirs) or another's, when that is known.
    fn is_own_crate(&self, _name: &str) -> Option<bool> {
        None
    }

    /// Where the reader's own struct or enum `name` is defined (file and line of its
    /// name), when the compiler did not point at it.
    fn type_definition(&self, _name: &str) -> Option<(String, usize)> {
        None
    }
}

impl<F: Fn(&str) -> Option<String>> Sources for F {
    fn read(&self, file: &str) -> Option<String> {
        self(file)
    }
}

/// Every diagnosis in `diagnostics`, one per value and `.await` even when the compiler
/// reports the same problem twice (as axum's `debug_handler` and `Handler` errors do, or a
/// value that is neither `Send` nor `Sync`).
pub fn diagnose(diagnostics: &[Diagnostic], sources: &dyn Sources) -> Vec<Diagnosis> {
    let mut found = Vec::new();
    for diagnostic in diagnostics {
        if let Some(reading) = reading::read(diagnostic) {
            found.extend(diagnose_reading(&reading, sources));
        }
    }
    dedup(&mut found);
    found
}

/// Whether a diagnostic names the value (or borrow, or awaited future) at fault in a note,
/// rather than only the future or type the compiler refused.
pub fn names_a_value(diagnostic: &Diagnostic) -> bool {
    reading::read(diagnostic).is_some_and(|r| {
        !r.evidence.is_empty()
            || matches!(
                r.family,
                Family::NotStatic | Family::NotGeneralEnough | Family::SelfReferential
            )
    })
}

/// In the function whose `fn` is on `fn_line`, the statement that keeps a closure across an
/// `.await` (the name it binds, and its line).
pub fn closure_across_await(source: &str, fn_line: usize) -> Option<(Option<String>, usize)> {
    shape::closure_across_await(source, fn_line)
}

/// Whether a diagnostic is a higher-ranked lifetime error ("not general enough").
pub fn is_not_general_enough(diagnostic: &Diagnostic) -> bool {
    reading::read(diagnostic).is_some_and(|r| r.family == Family::NotGeneralEnough)
}

/// Whether a diagnostic is about `Send`, `Sync` or their cousins at all: its headline
/// decides, so a problem the details cannot be read from is still reported as one.
pub fn is_about_send(diagnostic: &Diagnostic) -> bool {
    reading::read(diagnostic).is_some()
}

fn diagnose_reading(reading: &Reading<'_>, sources: &dyn Sources) -> Vec<Diagnosis> {
    let mut found = Vec::new();
    match reading.family {
        Family::NotStatic => found.extend(not_static(reading)),
        Family::NotGeneralEnough => found.push(from_span(
            reading,
            Kind::None,
            Shape::NotGeneralEnough,
            reading.primary,
        )),
        Family::SelfReferential => {
            let mut diagnosis = from_span(reading, Kind::Other, Shape::Recursive, reading.primary);
            // "cannot satisfy `impl Future<…>: Send`" inside a function: the opaque future
            // that cannot be proven `Send` is that function's own, being type-checked.
            diagnosis.future_of = reading.primary.and_then(|span| {
                let source = sources.read(&span.file_name)?;
                let (name, line) = shape::innermost_fn(&source, span.line_start)?;
                Some(Place {
                    name,
                    file: span.file_name.clone(),
                    line,
                })
            });
            found.push(diagnosis);
        }
        Family::NotSend | Family::NotShared => {
            for evidence in &reading.evidence {
                found.push(from_evidence(reading, evidence, sources));
            }
            if found.is_empty() {
                // A type refused at a bound (axum's state, a task's output): no note names
                // a value, the headline names the type.
                // When the headline names the culprit itself, the types it sits in say more
                // than its name does.
                let value_type = reading
                    .subject_type
                    .as_deref()
                    .filter(|t| reading.culprit.as_deref() != Some(*t));
                let kind = kind_of(
                    reading,
                    value_type,
                    reading
                        .primary
                        .and_then(|s| sources.read(&s.file_name))
                        .as_deref(),
                    sources,
                );
                let shape = if reading.family == Family::NotShared && reading.subject_type.is_none()
                {
                    Shape::SyncRequired
                } else if reading.inside_async_body
                    && matches!(kind, Kind::BoxedFuture | Kind::TraitFuture)
                {
                    // "required because it's used within this `async` fn body": a future
                    // awaited inside another, not a value captured.
                    Shape::AwaitsNonSendFuture
                } else if reading.inside_async_body {
                    Shape::HeldAcrossAwait
                } else {
                    Shape::Captured
                };
                let mut diagnosis = from_span(reading, kind, shape, reading.primary);
                diagnosis.vague = true;
                // A closure or async block is no value: name the variable it captures that
                // holds the culprit, or nothing.
                let captured = reading.primary.and_then(|span| {
                    let source = sources.read(&span.file_name)?;
                    captured_by(reading, span, &source)
                });
                match captured {
                    Some((name, _)) => diagnosis.binding = Some(name),
                    None => {
                        if diagnosis.binding.as_deref().is_some_and(|b| {
                            b.contains('{') || b.contains("||") || b.chars().count() > 60
                        }) {
                            diagnosis.binding = None;
                        }
                    }
                }
                // The type refused is the outermost one the culprit sits in, when the
                // headline names the culprit itself.
                diagnosis.type_name = value_type
                    .map(str::to_owned)
                    .or_else(|| reading.within.first().cloned())
                    .or_else(|| reading.subject_type.clone());
                diagnosis.chain = chain(reading, value_type);
                // The outermost type of the chain is the value's (`Arc<RwLock<…>>`).
                if let Some(outermost) = diagnosis
                    .chain
                    .first()
                    .filter(|t| reading.culprit.as_ref() != Some(*t))
                {
                    diagnosis.type_name = Some(outermost.clone());
                }
                found.push(diagnosis);
            }
            if !reading.mentions_future {
                // A bound on a plain type (a state, an extension, a thread's closure).
                for diagnosis in &mut found {
                    diagnosis.shape = Shape::RequiredByBound;
                    diagnosis.await_point = None;
                    diagnosis.bound = reading.bound_site.clone();
                    diagnosis.fix = fix_for(diagnosis.kind, diagnosis.shape).to_owned();
                    diagnosis.page = page_for(diagnosis.kind, diagnosis.shape).to_owned();
                }
            }
        }
    }
    // "future returned by `from_request_parts` is not `Send`": whose future it spoils.
    let returned_by = reading.primary.and_then(|span| {
        let name = span
            .label
            .as_deref()
            .filter(|l| l.contains("returned by"))
            .and_then(reading::first_quoted)?;
        let line = shape::fn_line(&sources.read(&span.file_name)?, &name)?;
        Some(Place {
            name,
            file: span.file_name.clone(),
            line,
        })
    });
    for diagnosis in &mut found {
        if diagnosis.future_of.is_none() {
            diagnosis.future_of.clone_from(&returned_by);
        }
        if let Some(field) = own_field(reading, diagnosis.type_name.as_deref(), sources) {
            diagnosis.fix = field.advice(diagnosis.missing.as_deref().unwrap_or("Send"));
            diagnosis.field = Some(field);
        }
    }
    found
}

/// Whether a file the compiler names is the standard library's source.
fn is_std_file(file: &str) -> bool {
    file.starts_with("/rustc/") || file.contains("/lib/rustlib/src/rust/library/")
}

/// The field of the reader's own type that holds the culprit, when the compiler points at
/// that type's definition in their files.
fn own_field(
    reading: &Reading<'_>,
    value_type: Option<&str>,
    sources: &dyn Sources,
) -> Option<FieldFix> {
    // The next type inward names what to look for in the fields; else the culprit.
    let mut inner: Vec<&str> = reading
        .definitions
        .iter()
        .skip(1)
        .map(|d| d.type_name.as_str())
        .collect();
    inner.reverse();
    let wanted: Vec<String> = reading
        .culprit
        .iter()
        .map(String::as_str)
        .chain(inner)
        .map(|t| shape::base_type_name(t).to_owned())
        .collect();
    let pointed = reading
        .definitions
        .iter()
        .find(|d| !is_std_file(&d.file))
        .cloned();
    // "within `AppState`, …", or a value of type `State<AppState>`, names the type without
    // pointing at it: look up each type it names among the reader's own.
    let looked_up = || {
        let names = reading
            .container
            .iter()
            .chain(value_type.map(str::to_owned).as_ref())
            .flat_map(|t| shape::type_idents(t))
            .collect::<Vec<_>>();
        names.into_iter().find_map(|name| {
            let (file, line) = sources.type_definition(&name)?;
            let source = sources.read(&file)?;
            shape::field_holding(&source, line, &wanted)?;
            Some(reading::Definition {
                type_name: name,
                file,
                line,
            })
        })
    };
    let definition = match pointed {
        Some(definition) => definition,
        None => looked_up()?,
    };
    if !sources.is_own_file(&definition.file) {
        return None;
    }
    let source = sources.read(&definition.file)?;
    let (field, field_type) = shape::field_holding(&source, definition.line, &wanted)?;
    let owner = shape::base_type_name(&definition.type_name).to_owned();
    Some(FieldFix {
        suggested: shape::thread_safe_version(&field_type).filter(|s| *s != field_type),
        owner: Place {
            name: owner,
            file: definition.file.clone(),
            line: definition.line,
        },
        field,
        field_type,
    })
}

impl FieldFix {
    /// The fix, in one sentence, for a field of the reader's own type.
    pub fn advice(&self, missing: &str) -> String {
        let missing = missing.replace(" and ", "` and `");
        let to = self.suggested.as_deref().map_or(
            "a type that is (`Rc` → `Arc`, `Cell` → an atomic, `RefCell` → `Mutex`, `dyn Trait` \
             → `dyn Trait + Send + Sync`)"
                .to_owned(),
            |s| format!("`{s}`"),
        );
        format!(
            "`{}` is your own type ({}:{}): its field `{}: {}` is not `{missing}`. Make it \
             {to}, and adjust the code that uses it.",
            self.owner.name, self.owner.file, self.owner.line, self.field, self.field_type
        )
    }
}

/// The kind of a value of type `value_type`, from what `reading` says of its culprit.
fn kind_of(
    reading: &Reading<'_>,
    value_type: Option<&str>,
    source: Option<&str>,
    sources: &dyn Sources,
) -> Kind {
    classify::kind(&classify::Facts {
        value_type,
        culprit: reading.culprit.as_deref(),
        missing: reading.missing.as_deref(),
        future_must_be: must_be(reading),
        source,
        within: &reading.within,
        container: reading.container.as_deref(),
        holder: holder_origin(reading, value_type, sources),
    })
}

/// Whose type holds the culprit: the first type the compiler says it "appears within",
/// told by where that type is defined; else the value's type, told by its path's crate.
fn holder_origin(
    reading: &Reading<'_>,
    value_type: Option<&str>,
    sources: &dyn Sources,
) -> classify::Origin {
    // The standard library's containers (`HashMap`, `Mutex`) are only wrappers.
    if let Some(definition) = reading.definitions.iter().find(|d| !is_std_file(&d.file)) {
        return if sources.is_own_file(&definition.file) {
            classify::Origin::Own
        } else {
            classify::Origin::Foreign
        };
    }
    if own_field(reading, value_type, sources).is_some() {
        return classify::Origin::Own;
    }
    let Some(ty) = reading.container.as_deref().or(value_type) else {
        return classify::Origin::Unknown;
    };
    let ty = ty.trim_start_matches('&').trim_start_matches("mut ").trim();
    match ty.split_once("::") {
        Some((first, _)) if first.chars().all(|c| c.is_alphanumeric() || c == '_') => match sources
            .is_own_crate(first)
        {
            Some(true) => classify::Origin::Own,
            Some(false) if !matches!(first, "std" | "core" | "alloc") => classify::Origin::Foreign,
            _ => classify::Origin::Unknown,
        },
        _ => classify::Origin::Unknown,
    }
}

/// Which trait the future (or type) must have: `Send`, or `Sync` for "cannot be shared".
fn must_be(reading: &Reading<'_>) -> &'static str {
    if reading.family == Family::NotShared {
        "Sync"
    } else {
        "Send"
    }
}

fn from_evidence(
    reading: &Reading<'_>,
    evidence: &Evidence<'_>,
    sources: &dyn Sources,
) -> Diagnosis {
    let sync_required = reading.family == Family::NotShared && reading.subject_type.is_none();
    match evidence {
        Evidence::AcrossAwait {
            value,
            at,
            value_type,
        } => {
            let value = in_own_code(value, sources);
            // An `.await` written inside a macro (`tokio::select!`): where the reader
            // called the macro.
            let at = in_file(at, &value.file_name);
            let source = sources.read(&value.file_name);
            let mut text = highlighted(value).unwrap_or_default();
            if text.contains("$crate") {
                text = call_site_text(value).unwrap_or(text);
            }
            // `let mut chunks = pin!(stream);`: the macro's value is the variable.
            let is_macro_call = from_macro(value) || text.contains("!(") || text.is_empty();
            let let_bound = is_macro_call
                .then(|| {
                    source.as_deref().and_then(|s| {
                        shape::let_binding_at(s, value.line_start, value.column_start)
                    })
                })
                .flatten();
            if let Some(name) = &let_bound {
                text = name.clone();
            }
            let (binding, is_variable) = binding_of(&text);
            // A variable named inside `format!` and its kin is borrowed by the macro's
            // arguments: a temporary of the statement.
            let macro_argument = let_bound.is_none()
                && (from_macro(value)
                    || source.as_deref().is_some_and(|s| {
                        shape::in_format_macro(s, value.line_start, value.column_start)
                    }));
            let from_for_loop = value
                .expansion
                .as_ref()
                .is_some_and(|e| e.macro_decl_name.contains("for"));
            let place = place_of(reading, value, source.as_deref());
            let shape = if sync_required {
                Shape::SyncRequired
            } else if reading.trait_method_help {
                Shape::AwaitsNonSendFuture
            } else if place == ValuePlace::Outside {
                Shape::Captured
            } else if macro_argument {
                Shape::TemporaryInStatement
            } else if is_variable {
                if source.as_deref().is_some_and(|s| {
                    shape::dropped_before(s, &binding, value.line_start, at.line_start)
                }) {
                    Shape::DroppedAfterBorrow
                } else {
                    Shape::HeldAcrossAwait
                }
            } else if from_for_loop {
                Shape::HeldAcrossAwait
            } else {
                source
                    .as_deref()
                    .and_then(|s| shape::of_temporary(s, value.line_start, value.column_start))
                    .unwrap_or(Shape::TemporaryInStatement)
            };
            let type_name = value_type.clone().or_else(|| reading.culprit.clone());
            let kind = if reading.trait_method_help {
                Kind::TraitFuture
            } else {
                kind_of(reading, type_name.as_deref(), source.as_deref(), sources)
            };
            let mut diagnosis = build(reading, kind, shape, &value.file_name);
            if shape == Shape::HeldAcrossAwait
                && is_variable
                && matches!(
                    kind,
                    Kind::StdMutexGuard | Kind::StdRwlockGuard | Kind::ParkingLotGuard
                )
                && let Some(borrow) = source.as_deref().and_then(|s| {
                    shape::borrow_of_guard_used_after(s, &binding, value.line_start, at.line_start)
                })
            {
                diagnosis.fix.push_str(&format!(
                    " Here `{borrow}` borrows from `{binding}` and is used after the \
                     `.await`, which keeps the guard alive until then: inside the guard's \
                     block, copy out what you need (`.clone()`, `.cloned()`), and use the copy."
                ));
            }
            diagnosis.chain = chain(reading, type_name.as_deref());
            diagnosis.type_name = type_name;
            diagnosis.binding = Some(binding);
            diagnosis.value_line = Some(value.line_start);
            // In a callee, name the function whose future holds it.
            let callee = (place == ValuePlace::Callee)
                .then_some(source.as_deref())
                .flatten()
                .and_then(|s| shape::enclosing_fns(s, value.line_start).pop());
            let callee_line = callee
                .as_deref()
                .zip(source.as_deref())
                .and_then(|(name, s)| shape::fn_line(s, name));
            diagnosis.await_point = Some(AwaitPoint {
                line: at.line_start,
                awaited: None,
                awaited_type: None,
                callee,
                callee_line,
            });
            diagnosis
        }
        Evidence::AwaitsFuture { at, awaited_type } => {
            let source = sources.read(&at.file_name);
            let awaited = highlighted(at);
            let callee = awaited.as_deref().and_then(shape::callee_name);
            let defined = match (&source, &callee) {
                (Some(source), Some(name)) => shape::fn_line(source, name),
                _ => None,
            };
            // A call of a function by its path (`visit(n - 1)`), inside that same function.
            // A method call of the same name is usually another type's method.
            let path_call = awaited
                .as_deref()
                .is_some_and(|a| !a.split('(').next().unwrap_or_default().contains('.'));
            let recursive = reading.unsatisfiable.is_some()
                || !reading.trait_method_help
                    && path_call
                    && match (&source, &callee) {
                        (Some(source), Some(name)) => shape::enclosing_fns(source, at.line_start)
                            .iter()
                            .any(|f| f == name),
                        _ => false,
                    };
            let awaited_ty = awaited_type.as_deref().unwrap_or_default();
            let kind = if classify::is_future_object(awaited_ty) || awaited_ty.contains("BoxFuture")
            {
                Kind::BoxedFuture
            } else if recursive {
                // The future is its own culprit: no value of another kind is to blame.
                Kind::Other
            } else if reading.trait_method_help || awaited_ty.starts_with("impl Future") {
                // An opaque future: the reader's own code cannot see inside it, only what
                // its declaration promises.
                match classify::crate_of_call(source.as_deref(), awaited.as_deref()) {
                    Some(_) if !reading.trait_method_help => Kind::Foreign,
                    _ => Kind::TraitFuture,
                }
            } else {
                kind_of(reading, awaited_type.as_deref(), source.as_deref(), sources)
            };
            let shape = if sync_required {
                Shape::SyncRequired
            } else if recursive {
                Shape::Recursive
            } else {
                Shape::AwaitsNonSendFuture
            };
            let mut diagnosis = build(reading, kind, shape, &at.file_name);
            if recursive {
                diagnosis.culprit = reading
                    .unsatisfiable
                    .clone()
                    .or_else(|| awaited_type.clone());
            }
            diagnosis.chain = chain(reading, awaited_type.as_deref());
            diagnosis.type_name = awaited_type.clone();
            diagnosis.binding = awaited.clone();
            diagnosis.value_line = Some(at.line_start);
            diagnosis.await_point = Some(AwaitPoint {
                line: at.line_start,
                awaited,
                awaited_type: awaited_type.clone(),
                callee,
                callee_line: defined,
            });
            diagnosis
        }
        Evidence::Captured { value, value_type } => {
            let in_macro = in_own_code(value, sources);
            let from_foreign_macro = !std::ptr::eq(in_macro, *value);
            let value = in_macro;
            let source = sources.read(&value.file_name);
            let type_name = value_type.clone().or_else(|| reading.culprit.clone());
            let kind = kind_of(reading, type_name.as_deref(), source.as_deref(), sources);
            let shape = if sync_required {
                Shape::SyncRequired
            } else {
                Shape::Captured
            };
            let mut diagnosis = build(reading, kind, shape, &value.file_name);
            diagnosis.chain = chain(reading, type_name.as_deref());
            diagnosis.type_name = type_name;
            diagnosis.binding = highlighted(value);
            // A value used inside another crate's macro (`error!(%peer)`): the compiler
            // names no variable, so name the one the future captures that holds the culprit.
            let captured = reading
                .primary
                .filter(|primary| from_foreign_macro && primary.file_name == value.file_name)
                .zip(source.as_deref())
                .and_then(|(primary, source)| captured_by(reading, primary, source));
            if let Some((name, line)) = captured {
                diagnosis.binding = Some(name);
                diagnosis.value_line = Some(line);
                return diagnosis;
            }
            // A variable moved in is where it was bound, not where the block uses it.
            diagnosis.value_line = diagnosis
                .binding
                .as_deref()
                .filter(|b| binding_of(b).1)
                .zip(source.as_deref())
                .and_then(|(name, s)| shape::binding_line(s, name, value.line_start))
                .or(Some(value.line_start));
            diagnosis
        }
    }
}

/// Where a value held across an `.await` lives, seen from the future that must be `Send`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValuePlace {
    /// In the future's own code.
    Own,
    /// Bound before the async block, in the function that makes it: moved in.
    Outside,
    /// In a function the future awaits: the value is held there as it would be in the
    /// future's own code, and the diagnosis names that function.
    Callee,
}

fn place_of(reading: &Reading<'_>, value: &DiagnosticSpan, source: Option<&str>) -> ValuePlace {
    let Some(source) = source else {
        return ValuePlace::Own;
    };
    let Some(primary) = reading.primary else {
        return ValuePlace::Own;
    };
    if primary.file_name != value.file_name {
        return ValuePlace::Callee;
    }
    let line = value.line_start;
    if (primary.line_start..=primary.line_end).contains(&line) {
        return ValuePlace::Own;
    }
    let value_fns = shape::enclosing_fns(source, line);
    // "future returned by `visits`": the function's own body is the future's code.
    let returned_by = primary
        .label
        .as_deref()
        .filter(|l| l.contains("returned by"))
        .and_then(reading::first_quoted);
    if let Some(name) = returned_by {
        return if value_fns.contains(&name) {
            ValuePlace::Own
        } else {
            ValuePlace::Callee
        };
    }
    let spawning_fns = shape::enclosing_fns(source, primary.line_start);
    let same_function = value_fns.last().is_some() && value_fns.last() == spawning_fns.last();
    // Bound before an async block that then moved it in.
    let async_block = primary
        .label
        .as_deref()
        .is_some_and(|l| l.contains("async block"));
    if same_function && async_block && line < primary.line_start {
        ValuePlace::Outside
    } else if same_function {
        // A bound in the function's own signature (`-> impl Future + Send`): its body.
        ValuePlace::Own
    } else {
        ValuePlace::Callee
    }
}

/// A span inside the body of another crate's macro (`tracing::error!`), as the reader's
/// call of it: the compiler's own rendering shows that line, and the reader cannot edit the
/// macro. A span in the reader's files, or one no call of theirs leads to, stays as it is.
fn in_own_code<'a>(span: &'a DiagnosticSpan, sources: &dyn Sources) -> &'a DiagnosticSpan {
    called_from(span, |s| sources.is_own_file(&s.file_name))
}

/// The span itself when it is in `file`, else the call site in `file` of the macro that
/// produced it.
fn in_file<'a>(span: &'a DiagnosticSpan, file: &str) -> &'a DiagnosticSpan {
    called_from(span, |s| s.file_name == file)
}

/// The span itself when it is `wanted`, else the first macro call site on the way out of
/// the macros that produced it that is; the span itself when none is.
fn called_from(span: &DiagnosticSpan, wanted: impl Fn(&DiagnosticSpan) -> bool) -> &DiagnosticSpan {
    let mut current = span;
    while !wanted(current) {
        match &current.expansion {
            Some(expansion) => current = &expansion.span,
            None => return span,
        }
    }
    current
}

/// The variable the refused future (an async block or closure where `primary` starts)
/// captures that holds the culprit, and the line it is bound on; `source` is the file of
/// `primary`.
fn captured_by(
    reading: &Reading<'_>,
    primary: &DiagnosticSpan,
    source: &str,
) -> Option<(String, usize)> {
    let names: Vec<String> = reading
        .culprit
        .iter()
        .chain(&reading.within)
        .flat_map(|t| shape::type_idents(t))
        .filter(|n| !shape::is_plain_std_type(n))
        .collect();
    shape::captured_variable(source, primary.line_start, primary.column_start, &names)
}

/// Whether a value's span comes from a macro the reader called (`format!`, `pin!`,
/// `join!`), rather than from the `await` or `for` desugaring.
fn from_macro(span: &DiagnosticSpan) -> bool {
    span.expansion.as_ref().is_some_and(|e| {
        let name = e.macro_decl_name.as_str();
        !name.contains("await") && !name.contains("for") && !name.contains("async")
    })
}

/// The text a reader wrote for a span inside a macro: the macro's call, not its body.
fn call_site_text(span: &DiagnosticSpan) -> Option<String> {
    let mut span = span;
    while let Some(expansion) = &span.expansion {
        span = &expansion.span;
        if !highlighted(span).unwrap_or_default().contains("$crate") {
            break;
        }
    }
    highlighted(span)
}

/// From the value's type down to the culprit, without repeats or anonymous types.
fn chain(reading: &Reading<'_>, value_type: Option<&str>) -> Vec<String> {
    let mut chain: Vec<String> = Vec::new();
    let mut push = |ty: &str| {
        if !is_anonymous(ty) && !chain.iter().any(|t| t == ty) {
            chain.push(ty.to_owned());
        }
    };
    if let Some(ty) = value_type.filter(|t| reading.culprit.as_deref() != Some(*t)) {
        push(ty);
    }
    // The notes go from the culprit outwards: read them backwards, outermost first. The
    // help's "within `W`" names only one of them, where none is given.
    if reading.notes_within.is_empty() {
        for ty in &reading.within {
            push(ty);
        }
    } else {
        for ty in reading.notes_within.iter().rev() {
            push(ty);
        }
    }
    if let Some(culprit) = &reading.culprit {
        push(culprit);
    }
    chain
}

/// E0373: an async block that borrows a local, passed where `'static` is required. A
/// lifetime problem that looks like a `Send` one.
fn not_static(reading: &Reading<'_>) -> Option<Diagnosis> {
    let span = reading.primary?;
    let mut diagnosis = build(reading, Kind::None, Shape::NotStatic, &span.file_name);
    diagnosis.binding = reading
        .spans
        .iter()
        .find_map(|s| reading::first_quoted(s.label.as_deref()?));
    diagnosis.value_line = Some(span.line_start);
    Some(diagnosis)
}

fn from_span(
    reading: &Reading<'_>,
    kind: Kind,
    shape: Shape,
    span: Option<&DiagnosticSpan>,
) -> Diagnosis {
    let file = span.map(|s| s.file_name.clone()).unwrap_or_default();
    let mut diagnosis = build(reading, kind, shape, &file);
    diagnosis.binding = span.and_then(highlighted);
    diagnosis.value_line = span.map(|s| s.line_start);
    diagnosis.culprit = reading
        .culprit
        .clone()
        .or_else(|| reading.unsatisfiable.clone())
        .or_else(|| reading.higher_ranked.clone());
    if shape == Shape::NotGeneralEnough {
        // The span is the whole spawned future: what matters is the borrow, named above,
        // and the closure or block that makes it.
        diagnosis.binding = None;
        diagnosis.type_name = reading.higher_ranked.clone();
        diagnosis.await_point = reading.closure_line.map(|line| AwaitPoint {
            line,
            awaited: None,
            awaited_type: None,
            callee: None,
            callee_line: None,
        });
    }
    diagnosis
}

fn build(reading: &Reading<'_>, kind: Kind, shape: Shape, file: &str) -> Diagnosis {
    Diagnosis {
        kind,
        shape,
        headline: reading.headline.clone(),
        binding: None,
        type_name: None,
        culprit: reading.culprit.clone(),
        missing: reading.missing.clone(),
        chain: Vec::new(),
        file: file.to_owned(),
        value_line: None,
        await_point: None,
        fix: fix_for(kind, shape).to_owned(),
        page: page_for(kind, shape).to_owned(),
        future_of: None,
        bound: None,
        field: None,
        vague: false,
    }
}

/// Keeps one diagnosis per value and `.await`, and one per async block that borrows locals
/// (the compiler reports E0373 once for each borrowed variable: their names are joined).
/// A value reported once for `Send` and once for `Sync` is one diagnosis that lacks both.
pub fn dedup(found: &mut Vec<Diagnosis>) {
    // A diagnosis without a named value, about a type another diagnosis's value has (a
    // `&LocalSet` that must be `Send`, where `local` is already named), is that one's.
    let named: Vec<(String, String, Option<String>)> = found
        .iter()
        .filter(|d| !d.vague)
        .filter_map(|d| Some((d.file.clone(), d.type_name.clone()?, d.missing.clone())))
        .collect();
    let mut extra_missing: Vec<(String, String, String)> = Vec::new();
    found.retain(|d| {
        if !d.vague {
            return true;
        }
        let same = named.iter().find(|(file, ty, _)| {
            *file == d.file
                && (d.chain.iter().any(|c| c.trim_start_matches('&') == ty)
                    || d.type_name
                        .as_deref()
                        .is_some_and(|t| t.trim_start_matches('&') == ty))
        });
        match same {
            Some((file, ty, _)) => {
                if let Some(missing) = &d.missing {
                    extra_missing.push((file.clone(), ty.clone(), missing.clone()));
                }
                false
            }
            None => true,
        }
    });
    for (file, ty, missing) in extra_missing {
        for d in found
            .iter_mut()
            .filter(|d| d.file == file && d.type_name.as_deref() == Some(ty.as_str()))
        {
            if let Some(have) = &mut d.missing
                && !have.contains(missing.as_str())
            {
                *have = format!("{have} and {missing}");
            }
        }
    }
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
        if let Some(same) = merged.iter_mut().find(|d| {
            d.file == diagnosis.file
                && d.value_line == diagnosis.value_line
                && d.await_line() == diagnosis.await_line()
                && d.binding == diagnosis.binding
                && d.shape == diagnosis.shape
        }) {
            if let (Some(have), Some(more)) = (&mut same.missing, &diagnosis.missing)
                && !have.contains(more.as_str())
            {
                *have = format!("{have} and {more}");
                if let Some(field) = &same.field {
                    same.fix = field.advice(have);
                }
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
            d.await_line(),
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
    // `balance::<S>` names the handler `balance`.
    let name = name.split("::<").next()?;
    let name = name.rsplit("::").next()?.trim().to_owned();
    name.chars()
        .all(|c| c.is_alphanumeric() || c == '_')
        .then(|| (span.file_name.clone(), name))
}

/// The source text a span covers, its lines joined.
pub fn highlighted(span: &DiagnosticSpan) -> Option<String> {
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
    // A method's receiver, `&self` or `&mut self`, is a variable too.
    let name = match name {
        "&self" | "&mut self" => "self",
        other => other,
    };
    let is_variable = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    (name.to_owned(), is_variable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binding_is_told_from_a_temporary() {
        assert_eq!(binding_of("mut verifiers"), ("verifiers".into(), true));
        assert_eq!(binding_of("guard"), ("guard".into(), true));
        assert!(!binding_of("routes.lock().unwrap()").1);
        assert_eq!(binding_of("&self"), ("self".into(), true));
    }

    fn diagnosis(shape: Shape, binding: &str, value_line: usize, missing: &str) -> Diagnosis {
        Diagnosis {
            kind: Kind::Other,
            shape,
            headline: String::new(),
            binding: Some(binding.into()),
            type_name: None,
            culprit: None,
            missing: Some(missing.into()),
            chain: Vec::new(),
            file: "f.rs".into(),
            value_line: Some(value_line),
            await_point: None,
            fix: String::new(),
            page: String::new(),
            future_of: None,
            bound: None,
            field: None,
            vague: false,
        }
    }

    #[test]
    fn one_diagnosis_per_value_and_one_per_borrowing_block() {
        let mut found = vec![
            diagnosis(Shape::NotStatic, "pending", 26, "Send"),
            diagnosis(Shape::NotStatic, "sink", 26, "Send"),
            diagnosis(Shape::HeldAcrossAwait, "g", 3, "Sync"),
            diagnosis(Shape::HeldAcrossAwait, "g", 3, "Send"),
        ];
        dedup(&mut found);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].binding.as_deref(), Some("pending, sink"));
        assert_eq!(found[1].missing.as_deref(), Some("Sync and Send"));
    }
}
