//! Copies of a project in the system's temporary folder, removed when dropped, and the
//! `#[axum::debug_handler]` attributes a recheck adds to them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};

use crate::explain::Diagnosis;

/// A folder of our own under the system's temporary folder, removed with everything in it
/// when this value is dropped (also when a check fails half-way).
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    pub fn new() -> Result<Scratch> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "cargo-explain-send-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        if let Ok(mut live) = LIVE.lock() {
            live.push(path.clone());
        }
        Ok(Scratch { path })
    }

    /// Removes every scratch folder not dropped yet: for an interrupted run, which ends
    /// without running destructors.
    pub fn remove_all() {
        let paths = LIVE.lock().map(|l| l.clone()).unwrap_or_default();
        for path in paths {
            let _ = fs::remove_dir_all(path);
        }
    }

    /// A copy of the project at `root`, without its build output (`target_dir`) or `.git`.
    pub fn copy_of(root: &Path, target_dir: &Path) -> Result<Scratch> {
        let scratch = Scratch::new()?;
        copy_tree(root, &scratch.path, target_dir)?;
        Ok(scratch)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The scratch folders that exist now.
static LIVE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|p| *p != self.path);
        }
    }
}

/// Makes `to` a copy of the project at `from` (without build output or `.git`), writing
/// only the files that differ and removing those that are gone, so that cargo, which
/// judges files by their times, rebuilds only what changed. `keep` names files of the copy
/// that are its own (the `Cargo.lock` cargo resolved there).
pub fn sync_tree(from: &Path, to: &Path, skip: &Path, keep: &[&str]) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let mut present = std::collections::BTreeSet::new();
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if path == skip || name == ".git" || name == "target" {
            continue;
        }
        present.insert(name.clone());
        let destination = to.join(&name);
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            sync_tree(&path, &destination, skip, &[])?;
        } else if file_type.is_file() || path.is_file() {
            let contents =
                fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            if fs::read(&destination).ok().as_deref() != Some(contents.as_slice()) {
                fs::write(&destination, contents)
                    .with_context(|| format!("writing {}", destination.display()))?;
            }
        }
    }
    for entry in fs::read_dir(to)?.flatten() {
        let name = entry.file_name();
        let kept = keep.iter().any(|k| name == *k) || name == "target";
        if !present.contains(&name) && !kept {
            let path = entry.path();
            if path.is_dir() {
                fs::remove_dir_all(&path).ok();
            } else {
                fs::remove_file(&path).ok();
            }
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path, skip: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if path == skip || name == ".git" || name == "target" {
            continue;
        }
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            copy_tree(&path, &to.join(&name), skip)?;
        } else if file_type.is_file() || path.is_file() {
            fs::copy(&path, to.join(&name))
                .with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}

/// The line (1-based) of `async fn name(` or `fn name<…>(`, or of `fn name(`.
pub fn handler_line(source: &str, name: &str) -> Option<usize> {
    if let Some(found) = handler_fn(source, name) {
        return Some(found.line);
    }
    let patterns = [format!("fn {name}("), format!("fn {name}<")];
    source
        .lines()
        .position(|line| patterns.iter().any(|p| line.contains(p.as_str())))
        .map(|index| index + 1)
}

/// A line put into a copy of a file above the original line `above`; in diagnoses, the
/// inserted line itself stands for the original line `stands_for`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insertion {
    pub above: usize,
    pub stands_for: usize,
}

/// What a recheck puts into a copy so that a handler's error names the value: for a plain
/// handler, `#[axum::debug_handler]` above it; for a generic one (which `debug_handler`
/// refuses), a one-line function after it that asks for its future to be `Send`, the
/// probe of "Finding the culprit".
pub fn recheck_lines(source: &str, name: &str) -> Option<(Insertion, String)> {
    let found = handler_fn(source, name)?;
    if !found.generic {
        let line = source.lines().nth(found.line - 1)?;
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        return Some((
            Insertion {
                above: found.line,
                stands_for: found.line,
            },
            format!("{indent}#[axum::debug_handler]"),
        ));
    }
    let args: Vec<String> = (0..found.arg_types.len())
        .map(|i| format!("__a{i}"))
        .collect();
    let params: Vec<String> = args
        .iter()
        .zip(&found.arg_types)
        .map(|(a, ty)| format!("{a}: {ty}"))
        .collect();
    let probe = format!(
        "fn __explain_send_probe{}({}) {} {{ fn __send<T: Send>(_: T) {{}} __send({name}({})); }}",
        found.generics,
        params.join(", "),
        found.where_clause,
        args.join(", "),
    );
    Some((
        Insertion {
            above: found.end_line + 1,
            stands_for: found.line,
        },
        probe,
    ))
}

struct HandlerFn {
    line: usize,
    end_line: usize,
    generic: bool,
    generics: String,
    where_clause: String,
    arg_types: Vec<String>,
}

/// The free function `name` (at any depth of modules), read with its signature's text.
fn handler_fn(source: &str, name: &str) -> Option<HandlerFn> {
    use syn::spanned::Spanned;
    let file = syn::parse_file(source).ok()?;
    let mut found = None;
    let mut stack: Vec<&syn::Item> = file.items.iter().collect();
    while let Some(item) = stack.pop() {
        match item {
            syn::Item::Fn(f) if f.sig.ident == name => found = Some(f),
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    stack.extend(items.iter());
                }
            }
            _ => {}
        }
    }
    let function = found?;
    let text = |span: proc_macro2::Span| slice(source, span.start(), span.end());
    let generics = &function.sig.generics;
    let generic = generics
        .params
        .iter()
        .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)));
    let generics_text = match (&generics.lt_token, &generics.gt_token) {
        (Some(lt), Some(gt)) => slice(source, lt.span.start(), gt.span.end()),
        _ => String::new(),
    };
    let where_clause = generics
        .where_clause
        .as_ref()
        .map(|w| text(w.span()))
        .unwrap_or_default();
    let mut arg_types = Vec::new();
    for input in &function.sig.inputs {
        match input {
            syn::FnArg::Typed(typed) => arg_types.push(text(typed.ty.span())),
            syn::FnArg::Receiver(_) => return None,
        }
    }
    Some(HandlerFn {
        line: function.sig.fn_token.span.start().line,
        end_line: function.span().end().line,
        generic,
        generics: generics_text,
        where_clause,
        arg_types,
    })
}

/// The text of `source` between two positions (lines from 1, columns in characters).
fn slice(source: &str, start: proc_macro2::LineColumn, end: proc_macro2::LineColumn) -> String {
    let mut out = String::new();
    for (index, line) in source.lines().enumerate() {
        let n = index + 1;
        if n < start.line || n > end.line {
            continue;
        }
        let from = if n == start.line { start.column } else { 0 };
        let to = if n == end.line {
            end.column
        } else {
            line.chars().count()
        };
        let part: String = line
            .chars()
            .skip(from)
            .take(to.saturating_sub(from))
            .collect();
        if n == start.line {
            out.push_str(&part);
        } else if !part.trim().is_empty() {
            out.push(' ');
            out.push_str(part.trim());
        }
    }
    out
}

/// `source` with each text inserted above its line.
pub fn with_insertions(source: &str, insertions: &[(Insertion, String)]) -> String {
    let mut out = String::with_capacity(source.len() + 64 * insertions.len());
    let lines: Vec<&str> = source.lines().collect();
    for n in 1..=lines.len() + 1 {
        for (insertion, text) in insertions {
            if insertion.above == n {
                out.push_str(text);
                out.push('\n');
            }
        }
        if let Some(line) = lines.get(n - 1) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `source` with `#[axum::debug_handler]` inserted above each of `lines` (1-based).
pub fn with_debug_handler(source: &str, lines: &[usize]) -> String {
    let insertions: Vec<(Insertion, String)> = lines
        .iter()
        .filter_map(|&line| {
            let indent: String = source
                .lines()
                .nth(line.checked_sub(1)?)?
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            Some((
                Insertion {
                    above: line,
                    stands_for: line,
                },
                format!("{indent}#[axum::debug_handler]"),
            ))
        })
        .collect();
    with_insertions(source, &insertions)
}

/// Puts a recheck into the copy at `root` for each named handler. Returns, per file, what
/// went where, to map lines back.
pub fn annotate_handlers(
    root: &Path,
    handlers: &BTreeMap<PathBuf, Vec<String>>,
) -> Result<BTreeMap<String, Vec<Insertion>>> {
    let mut inserted = BTreeMap::new();
    for (file, names) in handlers {
        let path = root.join(file);
        let source =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut insertions: Vec<(Insertion, String)> = names
            .iter()
            .filter_map(|name| recheck_lines(&source, name))
            .collect();
        insertions.sort_by_key(|(i, _)| i.above);
        insertions.dedup_by_key(|(i, _)| i.above);
        fs::write(&path, with_insertions(&source, &insertions))
            .with_context(|| format!("writing {}", path.display()))?;
        inserted.insert(
            file.display().to_string(),
            insertions.into_iter().map(|(i, _)| i).collect(),
        );
    }
    Ok(inserted)
}

/// Maps a line of a copy with `inserted` lines back to the original: the lines after each
/// insertion moved down by one, and an inserted line stands for the line it was made for.
pub fn original_line(line: usize, inserted: &[Insertion]) -> usize {
    let mut sorted: Vec<&Insertion> = inserted.iter().collect();
    sorted.sort_by_key(|i| i.above);
    let mut shift = 0;
    for (k, insertion) in sorted.iter().enumerate() {
        let at = insertion.above + k;
        if line == at {
            return insertion.stands_for;
        }
        if line > at {
            shift += 1;
        }
    }
    line - shift
}

/// Moves a diagnosis from an annotated copy back to the lines of the original file.
pub fn shift_back(diagnosis: &mut Diagnosis, inserted: &BTreeMap<String, Vec<Insertion>>) {
    let Some(lines) = inserted.get(&diagnosis.file) else {
        return;
    };
    if let Some(line) = diagnosis.value_line.as_mut() {
        *line = original_line(*line, lines);
    }
    if let Some(point) = diagnosis.await_point.as_mut() {
        point.line = original_line(point.line, lines);
    }
    if let Some(line) = diagnosis
        .await_point
        .as_mut()
        .and_then(|p| p.callee_line.as_mut())
    {
        *line = original_line(*line, lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_go_above_handlers_and_lines_map_back() {
        let source = "use x;\n\nasync fn lookup(s: State) -> String {\n    todo!()\n}\nasync fn other() {}\n";
        assert_eq!(handler_line(source, "lookup"), Some(3));
        let annotated = with_debug_handler(source, &[3, 6]);
        let lines: Vec<&str> = annotated.lines().collect();
        assert_eq!(lines[2], "#[axum::debug_handler]");
        assert_eq!(lines[3], "async fn lookup(s: State) -> String {");
        assert_eq!(lines[6], "#[axum::debug_handler]");
        assert_eq!(lines[7], "async fn other() {}");
        let at = |above| Insertion {
            above,
            stands_for: above,
        };
        let inserted = [at(3), at(6)];
        assert_eq!(original_line(2, &inserted), 2);
        assert_eq!(original_line(3, &inserted), 3);
        assert_eq!(original_line(4, &inserted), 3);
        assert_eq!(original_line(5, &inserted), 4);
        assert_eq!(original_line(8, &inserted), 6);
        assert_eq!(original_line(7, &inserted), 6);
    }

    #[test]
    fn a_generic_handler_gets_a_send_probe_after_it() {
        let source = "mod routes {\n    async fn balance<S: Store>(\n        State(store): State<S>,\n        Path(id): Path<String>,\n    ) -> String\n    where\n        S: Clone,\n    {\n        store.get(&id).await\n    }\n}\n";
        let (insertion, probe) = recheck_lines(source, "balance").expect("a probe");
        assert_eq!(insertion.above, 11);
        assert_eq!(insertion.stands_for, 2);
        assert_eq!(
            probe,
            "fn __explain_send_probe<S: Store>(__a0: State<S>, __a1: Path<String>) where S: Clone, { \
             fn __send<T: Send>(_: T) {} __send(balance(__a0, __a1)); }"
        );
        let copy = with_insertions(source, &[(insertion, probe.clone())]);
        assert_eq!(copy.lines().nth(10), Some(probe.as_str()));
        assert_eq!(original_line(11, &[insertion]), 2);
        assert_eq!(original_line(12, &[insertion]), 11);
    }

    #[test]
    fn a_scratch_folder_is_removed_when_dropped() {
        let scratch = Scratch::new().expect("a scratch folder");
        let path = scratch.path().to_owned();
        fs::write(path.join("file"), "x").expect("written");
        drop(scratch);
        assert!(!path.exists());
    }
}
