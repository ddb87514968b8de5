//! Explaining a reader's own cargo project: `cargo explain-send` in any project, and
//! `cargo workshop explain FOLDER` in the workshop. It runs `cargo check` the way the
//! developer would (their toolchain, their dependencies, their options, the package of the
//! folder it runs in), diagnoses what the compiler said and, where the compiler refused a
//! future without naming a value in it (axum's `Handler`, a `from_fn` middleware's
//! `Service`, any trait implemented for functions whose futures are `Send`), checks a copy
//! of the project once more with a `Send` probe after each function involved, in whatever
//! file and member of the workspace it is defined ([`probe`]).
//!
//! The project is never modified: cargo runs with `--locked`, so it cannot rewrite
//! `Cargo.lock`; a project without a `Cargo.lock` is checked in a copy kept in the user's
//! cache folder ([`cache`]), with the lockfile cargo resolved there and its build, so the
//! next run is warm; rechecks run in temporary copies removed afterwards, also on Ctrl-C.
//! Only cargo's own build cache (the project's target folder) is written, as any
//! `cargo check` does.
//!
//! This room may use `explain` (the diagnoses) and `harness` (running a command under a
//! time limit).

pub mod cache;
pub mod copy;
pub mod links;
pub mod probe;
pub mod stream;
pub mod workspace;

use std::collections::BTreeSet;
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use cargo_metadata::Message;
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel, DiagnosticSpan};
use serde::Serialize;

use crate::explain::{self, Diagnosis, Kind, Shape};
use crate::harness::run::{capture, capture_showing_stderr};
use copy::Scratch;
use probe::{FutureFn, Placed};
use workspace::Workspace;

/// How long one `cargo check` may take before it is stopped.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(600);

/// How far a recheck follows awaited calls from a function the compiler named, and how
/// many functions it probes at most.
const PROBE_DEPTH: usize = 4;
const MOST_PROBES: usize = 64;

/// What to check, and how.
#[derive(Debug, Clone)]
pub struct Request {
    /// The folder to start from (cargo looks for `Cargo.toml` here and above).
    pub dir: PathBuf,
    /// `--manifest-path`, if given.
    pub manifest_path: Option<PathBuf>,
    /// Options passed on to `cargo check`: `-p`, `--bin`, `--features`, `--all-targets`…
    pub cargo_args: Vec<String>,
    pub limit: Duration,
}

/// What the compiler said, and what it means.
#[derive(Debug, Serialize)]
pub struct Explained {
    pub diagnoses: Vec<Diagnosis>,
    /// The code compiled: nothing to explain.
    pub compiles: bool,
    /// It failed for a reason that is not about `Send`: the compiler's (or cargo's) first
    /// error, as it printed it.
    pub other_error: Option<String>,
    /// What a recheck learnt that is not a diagnosis: a handler whose future is `Send`
    /// after all, so that axum refuses it for another reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The compiler's own output, errors and warnings, as it printed them.
    #[serde(skip)]
    pub rendered: Vec<String>,
    /// How many `cargo check`s it took: one, plus one recheck for all the functions whose
    /// futures the compiler refused without naming a value.
    #[serde(rename = "checks")]
    pub builds: usize,
    #[serde(skip)]
    pub took: Duration,
}

/// Explains the project `request` names.
pub fn explain(request: &Request) -> Result<Explained> {
    let started = Instant::now();
    let First {
        workspace,
        check_root,
        target_dir,
        relative_manifest,
        check: first,
        copy: _copy,
    } = first_check(request)?;
    if !first.finished && first.diagnostics.is_empty() {
        // Cargo stopped before compiling: a manifest or lockfile it cannot use.
        bail!(
            "cargo could not check the project:\n{}",
            first.cargo_stderr.trim()
        );
    }
    let sources = ProjectSources {
        workspace: &workspace,
        copies: vec![check_root.clone()],
        types: std::sync::OnceLock::new(),
    };
    let mut diagnoses = Vec::new();
    let mut unnamed: Vec<&Diagnostic> = Vec::new();
    for diagnostic in &first.diagnostics {
        if needs_recheck(diagnostic) {
            unnamed.push(diagnostic);
        } else {
            diagnoses.extend(explain::diagnose(
                std::slice::from_ref(diagnostic),
                &sources,
            ));
        }
    }
    let mut notes = Vec::new();
    let mut builds = 1;
    if !unnamed.is_empty() && first.finished {
        let setting = Setting {
            workspace: &workspace,
            check_root: &check_root,
            target_dir: &target_dir,
            relative_manifest: &relative_manifest,
            request,
        };
        let rechecked = recheck(&setting, &unnamed, &sources)?;
        builds += rechecked.builds;
        notes = rechecked.notes;
        diagnoses.extend(rechecked.per_diagnostic.into_iter().flatten());
    }
    explain::dedup(&mut diagnoses);
    for diagnosis in &mut diagnoses {
        for root in [&check_root, &workspace.root] {
            unscratch(diagnosis, root);
        }
    }
    if diagnoses.is_empty() {
        for diagnostic in &first.diagnostics {
            if let Some(closure) = closure_refused(diagnostic) {
                notes.push(closure_note(&diagnostic.message, &closure, &check_root));
            }
        }
    }

    let other_error = if diagnoses.is_empty() && !first.success {
        Some(first.first_error())
    } else {
        None
    };
    Ok(Explained {
        compiles: first.success,
        diagnoses,
        other_error,
        notes,
        rendered: first.rendered,
        builds,
        took: started.elapsed(),
    })
}

/// Where a check runs: the workspace, the folder cargo is run in (the workspace, or its
/// lockless copy), the target folder, and the request.
pub(crate) struct Setting<'a> {
    pub workspace: &'a Workspace,
    pub check_root: &'a Path,
    pub target_dir: &'a Path,
    pub relative_manifest: &'a Path,
    pub request: &'a Request,
}

/// What one recheck found, for each diagnostic it was asked about, in order.
pub(crate) struct Rechecked {
    pub per_diagnostic: Vec<Vec<Diagnosis>>,
    pub notes: Vec<String>,
    pub builds: usize,
}

/// Rechecks a copy with a `Send` probe after every function the `unnamed` diagnostics
/// name (and what those await), all in one build, and explains each diagnostic.
pub(crate) fn recheck(
    setting: &Setting<'_>,
    unnamed: &[&Diagnostic],
    sources: &ProjectSources<'_>,
) -> Result<Rechecked> {
    let workspace = setting.workspace;
    let index = probe::index(&workspace.root, &workspace.source_files());
    let groups: Vec<Group> = unnamed.iter().map(|d| group_for(d, &index)).collect();
    let targets: Vec<FutureFn> = {
        let mut all: Vec<FutureFn> = groups.iter().flat_map(|g| g.probed.clone()).collect();
        let mut seen = BTreeSet::new();
        all.retain(|f| seen.insert((f.file.clone(), f.line)));
        all
    };
    let mut answers = Vec::new();
    let mut recheck_sources = None;
    let mut builds = 0;
    let scratch;
    if targets.iter().any(FutureFn::can_probe) {
        scratch = Scratch::copy_of(setting.check_root, setting.target_dir)?;
        let placed = probe::write_probes(scratch.path(), &targets)?;
        let recheck = check(
            scratch.path(),
            &scratch.path().join(setting.relative_manifest),
            &setting.request.cargo_args,
            Some(setting.target_dir),
            setting.request.limit,
            false,
        )?;
        builds += 1;
        answers = probe_answers(&recheck.diagnostics, &placed);
        recheck_sources = Some(ProjectSources {
            workspace,
            copies: vec![setting.check_root.to_owned(), scratch.path().to_owned()],
            types: std::sync::OnceLock::new(),
        });
    }
    let mut notes = Vec::new();
    let mut per_diagnostic = Vec::new();
    for (group, diagnostic) in groups.iter().zip(unnamed) {
        let found = match &recheck_sources {
            Some(sources) => explain_group(group, &answers, sources),
            None => Vec::new(),
        };
        if !found.is_empty() {
            per_diagnostic.push(found);
            continue;
        }
        // What the compiler itself said, when it names a value after all (a type refused
        // at a bound), else what is known.
        let own = explain::diagnose(std::slice::from_ref(*diagnostic), sources);
        let vague = own.is_empty()
            || !explain::names_a_value(diagnostic) && group.named.iter().any(FutureFn::can_probe);
        if vague {
            per_diagnostic.push(unexplained(group, &answers, &mut notes));
        } else {
            per_diagnostic.push(own);
        }
    }
    for diagnoses in &mut per_diagnostic {
        for diagnosis in diagnoses.iter_mut() {
            for root in [setting.check_root, workspace.root.as_path()] {
                unscratch(diagnosis, root);
            }
        }
    }
    Ok(Rechecked {
        per_diagnostic,
        notes,
        builds,
    })
}

/// The workspace and the first check of it.
struct First {
    workspace: Workspace,
    /// Where cargo ran: the workspace, or its lockless copy (kept alive with `copy`).
    check_root: PathBuf,
    target_dir: PathBuf,
    relative_manifest: PathBuf,
    check: Check,
    copy: Option<cache::LocklessCopy>,
}

/// A workspace made ready for a check: where cargo runs and builds.
pub(crate) struct Prepared {
    pub workspace: Workspace,
    pub relative_manifest: PathBuf,
    /// The copy a lockless project is checked in (kept in the cache).
    pub copy: Option<cache::LocklessCopy>,
    pub check_root: PathBuf,
    pub target_dir: PathBuf,
}

/// Without a Cargo.lock, cargo would write one: such a project is checked in a copy in the
/// cache, which keeps the lockfile it resolves and its build for the next run.
pub(crate) fn prepare(workspace: Workspace) -> Result<Prepared> {
    let relative_manifest = workspace
        .manifest
        .strip_prefix(&workspace.root)
        .unwrap_or(&workspace.manifest)
        .to_owned();
    let copy = if workspace.root.join("Cargo.lock").is_file() {
        None
    } else {
        Some(cache::LocklessCopy::sync(&workspace)?)
    };
    let (check_root, target_dir) = match &copy {
        Some(copy) => (copy.root().to_owned(), copy.target_dir().to_owned()),
        None => (workspace.root.clone(), workspace.target_dir.clone()),
    };
    Ok(Prepared {
        workspace,
        relative_manifest,
        copy,
        check_root,
        target_dir,
    })
}

/// The first `cargo check`. With a lockfile it starts at once, and cargo metadata (which
/// explain needs only afterwards) runs beside it; without one, in the kept copy.
fn first_check(request: &Request) -> Result<First> {
    if let Some((manifest, lock_root)) =
        workspace::quick_look(&request.dir, request.manifest_path.as_deref())
    {
        let (located, check) = std::thread::scope(|scope| {
            let located =
                scope.spawn(|| Workspace::locate(&request.dir, request.manifest_path.as_deref()));
            let check = self::check(
                &lock_root,
                &manifest,
                &request.cargo_args,
                None,
                request.limit,
                true,
            );
            (located.join(), check)
        });
        let workspace = located.map_err(|_| anyhow::anyhow!("cargo metadata panicked"))??;
        if workspace.root == lock_root {
            let relative_manifest = manifest
                .strip_prefix(&workspace.root)
                .unwrap_or(&manifest)
                .to_owned();
            return Ok(First {
                check_root: workspace.root.clone(),
                target_dir: workspace.target_dir.clone(),
                relative_manifest,
                check: check?,
                copy: None,
                workspace,
            });
        }
    }
    let Prepared {
        workspace,
        relative_manifest,
        copy,
        check_root,
        target_dir,
    } = prepare(Workspace::locate(
        &request.dir,
        request.manifest_path.as_deref(),
    )?)?;
    let check = check(
        &check_root,
        &check_root.join(&relative_manifest),
        &request.cargo_args,
        copy.as_ref().map(|_| target_dir.as_path()),
        request.limit,
        true,
    )?;
    Ok(First {
        workspace,
        check_root,
        target_dir,
        relative_manifest,
        check,
        copy,
    })
}

/// What the project is, for explain's questions about whose a file or crate is.
pub(crate) struct ProjectSources<'a> {
    pub workspace: &'a Workspace,
    /// Copies the compiler may have named files in (the lockless copy, a recheck's).
    pub copies: Vec<PathBuf>,
    /// The structs and enums of the workspace, read when first asked for.
    pub types: std::sync::OnceLock<Vec<(String, PathBuf, usize)>>,
}

impl explain::Sources for ProjectSources<'_> {
    fn read(&self, file: &str) -> Option<String> {
        let path = Path::new(file);
        let path = match path.is_absolute() {
            true => self.in_workspace(path),
            false => self.workspace.root.join(path),
        };
        fs::read_to_string(path).ok()
    }

    fn is_own_file(&self, file: &str) -> bool {
        self.workspace
            .is_own_file(&self.in_workspace(Path::new(file)).display().to_string())
    }

    fn is_own_crate(&self, name: &str) -> Option<bool> {
        Some(self.workspace.is_own_crate(name))
    }

    fn type_definition(&self, name: &str) -> Option<(String, usize)> {
        let types = self.types.get_or_init(|| {
            probe::type_index(&self.workspace.root, &self.workspace.source_files())
        });
        let mut found = types.iter().filter(|(n, _, _)| n == name);
        let (_, file, line) = found.next()?;
        // Two types of that name: the compiler's words cannot tell which.
        found
            .next()
            .is_none()
            .then(|| (file.display().to_string(), *line))
    }
}

impl ProjectSources<'_> {
    /// A path into a copy, as the same path in the workspace.
    fn in_workspace(&self, path: &Path) -> PathBuf {
        for copy in &self.copies {
            if let Ok(rest) = path.strip_prefix(copy) {
                return self.workspace.root.join(rest);
            }
        }
        path.to_owned()
    }
}

/// Whether an error refuses a future (or a function) without naming a value in it: axum's
/// `Handler`, a `Service` bound, another trait on a function, or a `Send` error whose notes
/// name only types.
pub(crate) fn needs_recheck(diagnostic: &Diagnostic) -> bool {
    if !matches!(diagnostic.level, DiagnosticLevel::Error) {
        return false;
    }
    // A higher-ranked lifetime error points at the whole spawned future: the function it
    // awaits whose own future fails the same way is where the borrow is.
    if explain::is_not_general_enough(diagnostic) {
        return true;
    }
    if explain::names_a_value(diagnostic) {
        return false;
    }
    let message = diagnostic.message.as_str();
    let unsatisfied =
        message.contains("is not satisfied") || message.contains("trait bounds were not satisfied");
    // A closure refused as a handler may call a function of the sources whose future is the
    // one that is not `Send` (`get(|| api::bump())`): its text names it, and it is probed.
    let names_function = !fn_items(diagnostic).is_empty()
        || message.contains("{closure@")
        || message.contains("{async closure@");
    if explain::is_about_send(diagnostic) {
        let text = everything(diagnostic);
        names_function || text.contains("async") || text.contains("Future")
    } else {
        unsatisfied && names_function
    }
}

/// Every message and label of a diagnostic, joined.
fn everything(diagnostic: &Diagnostic) -> String {
    let mut text = diagnostic.message.clone();
    for span in &diagnostic.spans {
        if let Some(label) = &span.label {
            text.push('\n');
            text.push_str(label);
        }
    }
    for child in &diagnostic.children {
        text.push('\n');
        text.push_str(&everything(child));
    }
    text
}

/// The paths of function items a diagnostic names, `{create}` in `fn(State<…>) -> … {create}`
/// (the full path when the compiler wrote the type to a file of its own), and
/// `async fn body of name()`.
fn fn_items(diagnostic: &Diagnostic) -> Vec<Vec<String>> {
    let mut text = everything(diagnostic);
    // rustc shortens long types and writes the whole one to a file it names.
    for line in text.clone().lines() {
        if let Some(rest) = line.split_once("has been written to '").map(|(_, r)| r)
            && let Some((file, _)) = rest.split_once('\'')
            && let Ok(full) = fs::read_to_string(file)
        {
            text.push('\n');
            text.push_str(&full.chars().take(64 * 1024).collect::<String>());
        }
    }
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('}') else { break };
        let inside = &rest[..close];
        let path = inside
            .strip_prefix("async fn body of ")
            .map(|p| p.trim_end_matches("()"))
            .unwrap_or(inside);
        // A generic function's item names its parameters: `{health::ready::<AppState>}`.
        let path = path.split_once("::<").map_or(path, |(p, _)| p);
        let is_path = !path.is_empty()
            && path
                .split("::")
                .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'));
        if is_path {
            let segments: Vec<String> = path.split("::").map(str::to_owned).collect();
            if !found.contains(&segments) {
                found.push(segments);
            }
        }
    }
    found
}

/// The paths written in an expression: `books::create` in `get(books::create)`,
/// `auth::require_key` in `from_fn_with_state(state.clone(), auth::require_key)`.
fn paths_in(text: &str) -> Vec<Vec<String>> {
    use syn::visit::Visit;
    struct Paths(Vec<Vec<String>>);
    impl<'ast> Visit<'ast> for Paths {
        fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
            let segments: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            self.0.push(segments);
        }
    }
    let Ok(expr) = syn::parse_str::<syn::Expr>(text) else {
        return Vec::new();
    };
    let mut paths = Paths(Vec::new());
    paths.visit_expr(&expr);
    paths.0
}

/// One error the compiler reported without a value, and the functions a recheck asks
/// about for it.
struct Group {
    /// Where the error is (file, line).
    file: String,
    line: usize,
    headline: String,
    /// The functions it names (a handler, a middleware), found in the project.
    named: Vec<FutureFn>,
    /// Those and what they await, to probe.
    probed: Vec<FutureFn>,
    /// The error was about `Send`/`Sync` on its face.
    about_send: bool,
    /// The innermost type the compiler named, if it did.
    culprit: Option<String>,
    /// The function items the compiler names (`{cache_size}`), found in the sources or not.
    items: Vec<String>,
}

fn group_for(diagnostic: &Diagnostic, index: &[FutureFn]) -> Group {
    let primary = diagnostic.spans.iter().find(|s| s.is_primary);
    let mut wanted = fn_items(diagnostic);
    let items: Vec<String> = wanted
        .iter()
        .filter_map(|path| path.last().cloned())
        .collect();
    if let Some(span) = primary {
        let text = explain::highlighted(span).unwrap_or_default();
        wanted.extend(paths_in(&text));
        if explain::is_not_general_enough(diagnostic) {
            // What the spawned future awaits, by name (`worker.run_batch(&names).await`).
            wanted.extend(probe::awaited_in(&text).into_iter().map(|name| vec![name]));
        }
    }
    let mut named: Vec<FutureFn> = Vec::new();
    let mut add = |function: &FutureFn| {
        if !named
            .iter()
            .any(|f| f.file == function.file && f.line == function.line)
        {
            named.push(function.clone());
        }
    };
    for path in &wanted {
        let mut matching: Vec<&FutureFn> = index.iter().filter(|f| f.answers_to(path)).collect();
        if matching.is_empty() && path.len() > 1 {
            // A path through a renamed import (`use handlers::books as b;`): by name.
            let name = path.last().map(String::as_str).unwrap_or_default();
            matching = index.iter().filter(|f| f.name == name).collect();
        }
        for function in matching {
            add(function);
        }
    }
    // "required because it's used within this `async` fn body": the bodies themselves.
    for (file, line) in async_bodies(diagnostic) {
        if let Some(function) = index
            .iter()
            .filter(|f| f.contains_line(Path::new(&file), line))
            .max_by_key(|f| f.line)
        {
            add(function);
        }
    }
    let probed = probe::closure_of(index, &named, PROBE_DEPTH, MOST_PROBES);
    let reading_culprit = culprit_of(diagnostic);
    Group {
        file: primary.map(|s| s.file_name.clone()).unwrap_or_default(),
        line: primary.map_or(0, |s| s.line_start),
        headline: diagnostic.message.clone(),
        named,
        probed,
        about_send: explain::is_about_send(diagnostic),
        culprit: reading_culprit,
        items,
    }
}

fn async_bodies(diagnostic: &Diagnostic) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for child in &diagnostic.children {
        if child.message.contains("used within this `async` fn body")
            && let Some(span) = child.spans.iter().find(|s| s.is_primary)
        {
            found.push((span.file_name.clone(), span.line_start));
        }
        found.extend(async_bodies(child));
    }
    found
}

fn culprit_of(diagnostic: &Diagnostic) -> Option<String> {
    for child in &diagnostic.children {
        if let Some((_, after)) = child.message.split_once(" is not implemented for `")
            && (child.message.contains("`Send`") || child.message.contains("`Sync`"))
        {
            return after.rsplit_once('`').map(|(c, _)| c.to_owned());
        }
    }
    None
}

/// What the recheck said about one probe.
pub(crate) struct Answer {
    placed: Placed,
    /// Its errors, with the probe's own span replaced by the function's name.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// It failed for a reason that has nothing to do with `Send`: the probe could not ask.
    unusable: bool,
}

pub(crate) fn probe_answers(diagnostics: &[Diagnostic], placed: &[Placed]) -> Vec<Answer> {
    let mut answers: Vec<Answer> = placed
        .iter()
        .map(|p| Answer {
            placed: p.clone(),
            diagnostics: Vec::new(),
            unusable: false,
        })
        .collect();
    for diagnostic in diagnostics {
        if !matches!(diagnostic.level, DiagnosticLevel::Error) {
            continue;
        }
        let Some(primary) = diagnostic.spans.iter().find(|s| s.is_primary) else {
            continue;
        };
        let Some(answer) = answers.iter_mut().find(|a| {
            Path::new(&primary.file_name) == a.placed.file
                && primary.line_start == a.placed.line
                && a.placed.columns.contains(&primary.column_start)
        }) else {
            continue;
        };
        if explain::is_about_send(diagnostic) {
            answer
                .diagnostics
                .push(at_function(diagnostic, &answer.placed.target));
        } else {
            answer.unusable = true;
        }
    }
    answers
}

/// The probe's error, as if the compiler had reported it at the function's name.
fn at_function(diagnostic: &Diagnostic, function: &FutureFn) -> Diagnostic {
    let mut diagnostic = diagnostic.clone();
    let file = function.file.display().to_string();
    let keep: Vec<DiagnosticSpan> = diagnostic
        .spans
        .iter()
        .filter(|s| s.is_primary)
        .cloned()
        .map(|mut span| {
            span.file_name = file.clone();
            span.line_start = function.line;
            span.line_end = function.line;
            span.column_start = function.name_column;
            span.column_end = function.name_column + function.name.chars().count();
            span.text.clear();
            span.label = Some(format!(
                "future returned by `{}` is not `Send`",
                function.name
            ));
            span.expansion = None;
            span
        })
        .collect();
    diagnostic.spans = keep;
    diagnostic
}

/// The diagnoses a recheck found for one group: those of the innermost failing probes
/// (a value named in a function is the one to fix), each saying whose future it spoils.
fn explain_group(
    group: &Group,
    answers: &[Answer],
    sources: &dyn explain::Sources,
) -> Vec<Diagnosis> {
    let in_group = |answer: &&Answer| {
        group
            .probed
            .iter()
            .any(|f| f.file == answer.placed.target.file && f.line == answer.placed.target.line)
    };
    let mut found = Vec::new();
    for answer in answers.iter().filter(in_group) {
        for mut diagnosis in explain::diagnose(&answer.diagnostics, sources) {
            if diagnosis.binding.is_none() && diagnosis.value_line.is_none() {
                continue;
            }
            if diagnosis.shape == explain::Shape::NotGeneralEnough {
                // The probe's error is at the function's name: the borrow is in the closure
                // its future keeps across an `.await`.
                let target = &answer.placed.target;
                if let Some(source) = sources.read(&target.file.display().to_string())
                    && let Some((name, line)) = explain::closure_across_await(&source, target.line)
                {
                    diagnosis.binding = name;
                    diagnosis.value_line = Some(line);
                }
            }
            let origin = group.named.first().unwrap_or(&answer.placed.target);
            diagnosis.future_of = Some(explain::Place {
                name: origin.display.clone(),
                file: origin.file.display().to_string(),
                line: origin.line,
            });
            diagnosis.headline.clone_from(&group.headline);
            found.push(diagnosis);
        }
    }
    // A value named in a deeper function is also reported by every probe above it: keep
    // one diagnosis per value.
    explain::dedup(&mut found);
    found
}

/// What to say of a group the recheck could not explain with a value.
fn unexplained(group: &Group, answers: &[Answer], notes: &mut Vec<String>) -> Vec<Diagnosis> {
    let named_answers: Vec<&Answer> = answers
        .iter()
        .filter(|a| {
            group
                .named
                .iter()
                .any(|f| f.file == a.placed.target.file && f.line == a.placed.target.line)
        })
        .collect();
    let send_after_all = !named_answers.is_empty()
        && named_answers
            .iter()
            .all(|a| a.diagnostics.is_empty() && !a.unusable);
    if send_after_all && !group.about_send {
        let names: Vec<String> = group
            .named
            .iter()
            .map(|f| format!("`{}` ({}:{})", f.display, f.file.display(), f.line))
            .collect();
        notes.push(format!(
            "{}:{}: the future of {} is `Send`: this error is not about `Send` (for an axum \
             handler: an argument that is not an extractor, a body extractor that is not last, \
             or another state type)",
            group.file,
            group.line,
            names.join(", ")
        ));
        return Vec::new();
    }
    if !group.about_send && group.named.is_empty() {
        // Named by the compiler, but no `fn` of that name is in the workspace's sources:
        // made by a macro, most likely. It cannot be probed, so say what is not known.
        if let Some(item) = group.items.first() {
            notes.push(format!(
                "{}:{}: `{item}` {NOT_FOUND_REFUSED} `{}`. {MAY_BE_SEND} Write it as a plain \
                 `async fn` (or expand the macro that makes it) and run `cargo explain-send` \
                 again: a function is rechecked, and the value that is not `Send` is named if \
                 there is one.",
                group.file,
                group.line,
                refused_trait(&group.headline),
            ));
        }
        return Vec::new();
    }
    let function = group.named.first();
    let mut diagnosis = Diagnosis {
        kind: Kind::Other,
        shape: Shape::UnnamedValue,
        headline: group.headline.clone(),
        binding: None,
        type_name: None,
        culprit: group.culprit.clone(),
        missing: group.culprit.as_ref().map(|_| "Send".to_owned()),
        chain: group.culprit.iter().cloned().collect(),
        file: group.file.clone(),
        value_line: Some(group.line),
        await_point: None,
        fix: explain::fix_for(Kind::Other, Shape::UnnamedValue).to_owned(),
        page: explain::page_for(Kind::Other, Shape::UnnamedValue).to_owned(),
        future_of: function.map(|f| explain::Place {
            name: f.display.clone(),
            file: f.file.display().to_string(),
            line: f.line,
        }),
        bound: None,
        field: None,
        vague: false,
    };
    if let Some(culprit) = &group.culprit {
        diagnosis.kind = explain::kind_of_type(None, Some(culprit));
    }
    vec![diagnosis]
}

/// Where the closure is (`src/routes.rs:12:23`) when an error is a trait a closure does not
/// satisfy: axum's `Handler`, tower's `Service`, a framework's own. rustc says only that
/// when the closure's future is not `Send`, and a closure cannot be probed as a function can.
fn closure_refused(diagnostic: &Diagnostic) -> Option<String> {
    if !matches!(diagnostic.level, DiagnosticLevel::Error)
        || !diagnostic.message.contains("is not satisfied")
    {
        return None;
    }
    if !diagnostic.message.contains("{closure@") && !diagnostic.message.contains("{async closure@")
    {
        return None;
    }
    // The headline may shorten the closure's path (`{closure@routes.rs:20:17}`); a note
    // gives it whole (`{closure@src/routes.rs:20:17: 20:48}`): the longest is taken.
    let text = everything(diagnostic);
    text.split("closure@")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(span, _)| span))
        .map(|span| span.split_once(": ").map_or(span, |(at, _)| at))
        .max_by_key(|at| at.len())
        .map(str::to_owned)
}

/// The words of the notes on a closure, or a function not found in the sources, refused as
/// a trait.
const CLOSURE_REFUSED: &str = "the closure is refused as";
const NOT_FOUND_REFUSED: &str = "is not a `fn` in the workspace's sources, and is refused as";
const MAY_BE_SEND: &str = "When a future is not `Send` (a guard, an `Rc` or a `RefCell` \
    borrow alive across one of its `.await`s), the compiler says only this and names no \
    value, so this may or may not be about `Send`.";

/// Whether the notes say the error may be about `Send` though the compiler names no value.
pub fn may_be_about_send(notes: &[String]) -> bool {
    notes
        .iter()
        .any(|note| note.contains(CLOSURE_REFUSED) || note.contains(NOT_FOUND_REFUSED))
}

/// `Handler<(ViaParts, State<AppState>), ...>` in "the trait bound `{…}: Handler<…>` is not
/// satisfied".
fn refused_trait(headline: &str) -> &str {
    headline
        .split_once("}: ")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map_or("the trait", |(name, _)| name)
}

fn closure_note(headline: &str, closure: &str, check_root: &Path) -> String {
    let closure = closure
        .strip_prefix(&format!("{}/", check_root.display()))
        .unwrap_or(closure);
    format!(
        "{closure}: {CLOSURE_REFUSED} `{}`. {MAY_BE_SEND} Move the closure's body into an \
         `async fn` and run `cargo explain-send` again: a function is rechecked, and the value \
         that is not `Send` is named if there is one.",
        refused_trait(headline)
    )
}

/// Paths into a copy, in a diagnosis's types (`{async block@/tmp/…/src/a.rs:3:5}`), as
/// the user's own.
fn unscratch(diagnosis: &mut Diagnosis, root: &Path) {
    diagnosis.rename_path(&format!("{}/", root.display()), "");
}

/// Whether cargo's arguments already say how to treat the lockfile (cargo refuses a flag
/// given twice): else explain adds `--locked`, so the lockfile is never rewritten.
pub(crate) fn pins_lockfile(args: &[String]) -> bool {
    args.iter()
        .any(|a| matches!(a.as_str(), "--locked" | "--frozen"))
}

/// One `cargo check` and what came of it.
struct Check {
    success: bool,
    /// Cargo got as far as compiling (it did not fail on the manifest or the lockfile).
    finished: bool,
    diagnostics: Vec<Diagnostic>,
    rendered: Vec<String>,
    cargo_stderr: String,
}

impl Check {
    fn first_error(&self) -> String {
        self.diagnostics
            .iter()
            .filter(|d| matches!(d.level, DiagnosticLevel::Error | DiagnosticLevel::Ice))
            .find_map(|d| d.rendered.clone())
            .unwrap_or_else(|| {
                let text = self.cargo_stderr.trim();
                if text.is_empty() {
                    "cargo failed without a message".to_owned()
                } else {
                    text.to_owned()
                }
            })
    }
}

fn check(
    root: &Path,
    manifest: &Path,
    cargo_args: &[String],
    target_dir: Option<&Path>,
    limit: Duration,
    show_stderr: bool,
) -> Result<Check> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let format = if std::io::stdout().is_terminal() {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    };
    let mut command = Command::new(cargo);
    command
        .arg("check")
        .arg("--manifest-path")
        .arg(manifest)
        .arg(format)
        .args(cargo_args)
        .current_dir(root);
    if root.join("Cargo.lock").is_file() && !pins_lockfile(cargo_args) {
        command.arg("--locked");
    }
    if let Some(target) = target_dir {
        command.env("CARGO_TARGET_DIR", target);
    }
    // cargo's progress for the user's own check; a recheck's copy is the tool's business.
    let captured = if show_stderr {
        capture_showing_stderr(command, limit)?
    } else {
        capture(command, limit)?
    };
    let Some(status) = captured.status else {
        bail!(
            "cargo check did not finish within {} s (an endless constant evaluation, or a \
             very large build?); nothing was changed",
            limit.as_secs()
        );
    };
    let mut check = Check {
        success: status.success(),
        finished: false,
        diagnostics: Vec::new(),
        rendered: Vec::new(),
        cargo_stderr: captured.stderr,
    };
    for message in Message::parse_stream(captured.stdout.as_bytes()).flatten() {
        match message {
            Message::CompilerMessage(message) => {
                if let Some(text) = &message.message.rendered {
                    check.rendered.push(text.clone());
                }
                check.diagnostics.push(message.message);
            }
            Message::BuildFinished(_) => check.finished = true,
            _ => {}
        }
    }
    Ok(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_items_are_read_from_types() {
        let text = "the trait bound `FromFn<fn(State<...>, ..., ...) -> ... {require_key}, ..., ..., _>: Service<...>` is not satisfied";
        let diagnostic: Diagnostic = serde_json::from_value(serde_json::json!({
            "message": text, "code": null, "level": "error", "spans": [], "children": [],
            "rendered": null, "$message_type": "diagnostic"
        }))
        .expect("a diagnostic");
        assert_eq!(fn_items(&diagnostic), vec![vec!["require_key".to_owned()]]);
        let text = "the trait bound `fn(State<AppState>) -> ... {ready::<...>}: Handler<_, _>` is \
                    not satisfied";
        let generic: Diagnostic = serde_json::from_value(serde_json::json!({
            "message": text, "code": null, "level": "error", "spans": [], "children": [],
            "rendered": null, "$message_type": "diagnostic"
        }))
        .expect("a diagnostic");
        assert_eq!(fn_items(&generic), vec![vec!["ready".to_owned()]]);
        assert_eq!(
            paths_in("from_fn_with_state(state.clone(), auth::require_key)"),
            vec![
                vec!["from_fn_with_state".to_owned()],
                vec!["state".to_owned()],
                vec!["auth".to_owned(), "require_key".to_owned()]
            ]
        );
    }
}
