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
        Ok(Scratch { path })
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

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
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

/// The line (1-based) of `async fn name(`, or of `fn name(`.
pub fn handler_line(source: &str, name: &str) -> Option<usize> {
    let patterns = [format!("async fn {name}("), format!("fn {name}(")];
    source
        .lines()
        .position(|line| patterns.iter().any(|p| line.contains(p.as_str())))
        .map(|index| index + 1)
}

/// `source` with `#[axum::debug_handler]` inserted above each of `lines` (1-based).
pub fn with_debug_handler(source: &str, lines: &[usize]) -> String {
    let mut out = String::with_capacity(source.len() + 32 * lines.len());
    for (index, line) in source.lines().enumerate() {
        if lines.contains(&(index + 1)) {
            let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
            out.push_str(&indent);
            out.push_str("#[axum::debug_handler]\n");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Puts `#[axum::debug_handler]` on the named handlers in the copy at `root`. Returns, per
/// file, the original lines above which an attribute went, in order.
pub fn annotate_handlers(
    root: &Path,
    handlers: &BTreeMap<PathBuf, Vec<String>>,
) -> Result<BTreeMap<String, Vec<usize>>> {
    let mut inserted = BTreeMap::new();
    for (file, names) in handlers {
        let path = root.join(file);
        let source =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut lines: Vec<usize> = names
            .iter()
            .filter_map(|name| handler_line(&source, name))
            .collect();
        lines.sort_unstable();
        lines.dedup();
        fs::write(&path, with_debug_handler(&source, &lines))
            .with_context(|| format!("writing {}", path.display()))?;
        inserted.insert(file.display().to_string(), lines);
    }
    Ok(inserted)
}

/// Maps a line of an annotated file back to the original: the lines after each inserted
/// attribute moved down by one, and the attribute itself stands for its function.
pub fn original_line(line: usize, inserted: &[usize]) -> usize {
    let mut shift = 0;
    for (k, fn_line) in inserted.iter().enumerate() {
        let attribute = fn_line + k;
        if line == attribute {
            return *fn_line;
        }
        if line > attribute {
            shift += 1;
        }
    }
    line - shift
}

/// Moves a diagnosis from an annotated copy back to the lines of the original file.
pub fn shift_back(diagnosis: &mut Diagnosis, inserted: &BTreeMap<String, Vec<usize>>) {
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
        let inserted = [3, 6];
        assert_eq!(original_line(2, &inserted), 2);
        assert_eq!(original_line(3, &inserted), 3);
        assert_eq!(original_line(4, &inserted), 3);
        assert_eq!(original_line(5, &inserted), 4);
        assert_eq!(original_line(8, &inserted), 6);
        assert_eq!(original_line(7, &inserted), 6);
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
