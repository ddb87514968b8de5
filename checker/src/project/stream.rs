//! `cargo explain-send --message-format=json…`: cargo's own messages, in order and
//! unchanged, but that each diagnostic explain diagnoses carries the diagnosis, the way
//! rustc carries its own notes: as `help` children, one without a span (editors append it
//! to the error's message), one at the value and one at the `.await` (editors show them as
//! related locations), and in the `rendered` text. Whatever reads cargo's JSON
//! (rust-analyzer's `check.overrideCommand`, bacon, cargo-watch) shows it unchanged.
//!
//! Messages pass as they come; only the diagnostics that need a recheck wait for it, with
//! cargo's `build-finished`, so an editor's first diagnostics come as fast as cargo's.
//! cargo's stderr is this command's stderr, and its exit code this command's.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result};
use cargo_metadata::diagnostic::Diagnostic;
use serde_json::{Value, json};

use crate::explain::{self, Diagnosis, Sources};
use crate::harness::run::{stop_group_at, track_group, untrack_group};
use crate::project::workspace::Workspace;
use crate::project::{
    Prepared, ProjectSources, Request, Setting, links, needs_recheck, pins_lockfile, prepare,
    recheck,
};

/// Runs the check and writes cargo's messages, with the diagnoses, to `out`. Returns the
/// exit code cargo gave.
pub fn stream(request: &Request, format: &str, out: &mut dyn Write) -> Result<i32> {
    let started = Instant::now();
    let mut workspace = Workspace::locate(&request.dir, request.manifest_path.as_deref())?;
    if let Some(target) = target_dir_argument(&request.cargo_args) {
        workspace.target_dir = std::path::absolute(request.dir.join(target))?;
    }
    let Prepared {
        workspace,
        relative_manifest,
        copy: cached,
        check_root,
        target_dir,
    } = prepare(workspace)?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg("check")
        .arg("--manifest-path")
        .arg(check_root.join(&relative_manifest))
        .arg(format!("--message-format={format}"))
        .args(&request.cargo_args)
        .current_dir(&request.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if check_root.join("Cargo.lock").is_file() && !pins_lockfile(&request.cargo_args) {
        command.arg("--locked");
    }
    if cached.is_some() {
        command.env("CARGO_TARGET_DIR", &target_dir);
    }
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().context("starting cargo check")?;
    let id = child.id();
    track_group(id);
    let watchdog = stop_group_at(id, request.limit);
    let stdout = child.stdout.take().context("cargo's stdout is piped")?;

    let sources = ProjectSources {
        workspace: &workspace,
        copies: vec![check_root.clone()],
        types: std::sync::OnceLock::new(),
    };
    // The copy's paths, in cargo's messages about a lockless project, are the project's.
    let copy_prefix = (check_root != workspace.root).then(|| {
        (
            check_root.display().to_string(),
            workspace.root.display().to_string(),
        )
    });
    let mut held: Vec<(Value, Diagnostic)> = Vec::new();
    let mut finished: Option<String> = None;
    for line in BufReader::new(stdout).lines() {
        let mut line = line.context("reading cargo's messages")?;
        if let Some((copy, root)) = &copy_prefix {
            line = line.replace(copy.as_str(), root);
        }
        let Ok(mut message) = serde_json::from_str::<Value>(&line) else {
            writeln!(out, "{line}")?;
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-message") => {
                let Ok(diagnostic) =
                    serde_json::from_value::<Diagnostic>(message["message"].clone())
                else {
                    writeln!(out, "{line}")?;
                    continue;
                };
                if needs_recheck(&diagnostic) {
                    held.push((message, diagnostic));
                    continue;
                }
                let mut diagnoses = explain::diagnose(std::slice::from_ref(&diagnostic), &sources);
                explain::dedup(&mut diagnoses);
                if diagnoses.is_empty() {
                    writeln!(out, "{line}")?;
                } else {
                    attach(&mut message, &diagnoses, &sources);
                    writeln!(out, "{message}")?;
                }
            }
            Some("build-finished") => finished = Some(line),
            _ => writeln!(out, "{line}")?,
        }
        out.flush()?;
    }
    let status = child.wait().context("waiting for cargo")?;
    untrack_group(id);
    drop(watchdog);

    if !held.is_empty() && finished.is_some() {
        let setting = Setting {
            workspace: &workspace,
            check_root: &check_root,
            target_dir: &target_dir,
            relative_manifest: &relative_manifest,
            request,
        };
        let unnamed: Vec<&Diagnostic> = held.iter().map(|(_, d)| d).collect();
        let rechecked = recheck(&setting, &unnamed, &sources)?;
        for ((message, _), diagnoses) in held.iter_mut().zip(&rechecked.per_diagnostic) {
            attach(message, diagnoses, &sources);
        }
        for note in &rechecked.notes {
            for (message, _) in &mut held {
                add_note(message, note);
            }
        }
    }
    for (message, _) in &held {
        writeln!(out, "{message}")?;
    }
    if let Some(line) = finished {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    if std::env::var_os("CARGO_EXPLAIN_SEND_TIMINGS").is_some() {
        eprintln!("explain-send: {:.2} s", started.elapsed().as_secs_f64());
    }
    Ok(status.code().unwrap_or(101))
}

/// `--target-dir DIR` (or `--target-dir=DIR`) among cargo's arguments.
fn target_dir_argument(args: &[String]) -> Option<String> {
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--target-dir" {
            return args.next().cloned();
        }
        if let Some(dir) = arg.strip_prefix("--target-dir=") {
            return Some(dir.to_owned());
        }
    }
    None
}

/// Adds each diagnosis to a `compiler-message`: children and rendered text.
fn attach(message: &mut Value, diagnoses: &[Diagnosis], sources: &ProjectSources<'_>) {
    let Some(diagnostic) = message.get_mut("message") else {
        return;
    };
    let mut rendered_more = String::new();
    for diagnosis in diagnoses {
        let link = links::page_link(&diagnosis.page);
        let mut summary = format!("explain: {}.", diagnosis.why());
        if let Some(f) = diagnosis
            .future_of
            .as_ref()
            .filter(|_| diagnosis.shape != explain::Shape::UnnamedValue)
        {
            summary.push_str(&format!(
                " It makes the future of `{}` ({}:{}) not `Send`.",
                f.name, f.file, f.line
            ));
        }
        if let Some(culprit) = diagnosis.culprit_line() {
            summary.push(' ');
            summary.push_str(&culprit);
        }
        let mut children = vec![child(
            format!(
                "{summary} ({}, {}) Fix: {} More: {link}",
                diagnosis.kind, diagnosis.shape, diagnosis.fix
            ),
            Vec::new(),
        )];
        let source = sources.read(&diagnosis.file);
        if let (Some(line), Some(text)) = (diagnosis.value_line, source.as_deref()) {
            let name = diagnosis.binding.as_deref().unwrap_or_default();
            let what = if name.is_empty() {
                "the value".to_owned()
            } else {
                format!("`{name}`")
            };
            let at = diagnosis.await_line().map_or(String::new(), |l| {
                format!(", alive at the `.await` on line {l}")
            });
            if let Some(span) = span_at(&diagnosis.file, text, line, name) {
                children.push(child(
                    format!("explain: {what} is not `{}`{at}", missing(diagnosis)),
                    vec![span],
                ));
            }
        }
        if let (Some(line), Some(text)) = (diagnosis.await_line(), source.as_deref())
            && let Some(span) = span_at(&diagnosis.file, text, line, ".await")
        {
            let what = diagnosis
                .binding
                .as_deref()
                .map_or("the value".to_owned(), |b| format!("`{b}`"));
            let message = if diagnosis.shape == explain::Shape::NotGeneralEnough {
                "explain: the borrow that must hold for every lifetime is made here".to_owned()
            } else {
                format!("explain: {what} is still alive at this `.await`")
            };
            children.push(child(message, vec![span]));
        }
        if let Some(list) = diagnostic["children"].as_array_mut() {
            list.extend(children);
        }
        rendered_more.push_str(&format!(
            "  = explain: {summary}\n  = fix: {}\n  = more: {link}\n",
            diagnosis.fix
        ));
    }
    if let Some(rendered) = diagnostic["rendered"].as_str() {
        let mut text = rendered.trim_end_matches('\n').to_owned();
        text.push('\n');
        text.push_str(&rendered_more);
        text.push('\n');
        diagnostic["rendered"] = Value::String(text);
    }
}

fn add_note(message: &mut Value, note: &str) {
    if let Some(children) = message["message"]["children"].as_array_mut() {
        children.push(child(format!("explain: {note}"), Vec::new()));
    }
}

fn missing(diagnosis: &Diagnosis) -> String {
    diagnosis
        .missing
        .as_deref()
        .unwrap_or("Send")
        .replace(" and ", "` and `")
}

/// A `help` child in the compiler's own shape.
fn child(message: String, spans: Vec<Value>) -> Value {
    json!({
        "$message_type": "diagnostic",
        "message": message,
        "code": null,
        "level": "help",
        "spans": spans,
        "children": [],
        "rendered": null,
    })
}

/// A primary span over `needle` on `line` of `text` (1-based), or over the line's code when
/// the needle is not on it.
fn span_at(file: &str, text: &str, line: usize, needle: &str) -> Option<Value> {
    let mut offset = 0;
    let mut found_line = None;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            found_line = Some(content.trim_end_matches(['\n', '\r']));
            break;
        }
        offset += content.len();
    }
    let content = found_line?;
    let (start, end) = match (!needle.is_empty())
        .then(|| word_at(content, needle))
        .flatten()
    {
        Some(at) => (at, at + needle.len()),
        None => {
            let start = content.len() - content.trim_start().len();
            (start, content.trim_end().len().max(start))
        }
    };
    let column = |byte: usize| content[..byte].chars().count() + 1;
    Some(json!({
        "file_name": file,
        "byte_start": offset + start,
        "byte_end": offset + end,
        "line_start": line,
        "line_end": line,
        "column_start": column(start),
        "column_end": column(end),
        "is_primary": true,
        "text": [{
            "text": content,
            "highlight_start": column(start),
            "highlight_end": column(end),
        }],
        "label": null,
        "suggested_replacement": null,
        "suggestion_applicability": null,
        "expansion": null,
    }))
}

/// Where `needle` stands on a line as a whole word (`cache`, not `cache` in `caches`).
fn word_at(line: &str, needle: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(needle).map(|(at, _)| at).find(|&at| {
        let before = line[..at].chars().next_back();
        let after = line[at + needle.len()..].chars().next();
        let joined_before = needle.starts_with(is_word) && before.is_some_and(is_word);
        let joined_after = needle.ends_with(is_word) && after.is_some_and(is_word);
        !joined_before && !joined_after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_word_on_its_line() {
        let text =
            "fn f() {\n    let mut caches = 1;\n    let mut cache = x.lock();\n    g().await;\n}\n";
        let span = span_at("src/a.rs", text, 3, "cache").expect("a span");
        assert_eq!(span["column_start"], 13);
        assert_eq!(span["column_end"], 18);
        let start = span["byte_start"].as_u64().expect("bytes") as usize;
        assert_eq!(&text[start..start + 5], "cache");
        let at = span_at("src/a.rs", text, 4, ".await").expect("a span");
        assert_eq!(at["column_start"], 8);
    }
}
