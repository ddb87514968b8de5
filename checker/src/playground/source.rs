//! A runnable block shows one named region of a file (`// ANCHOR: name` … `// ANCHOR_END:
//! name`, as mdBook's `{{#include FILE:name}}` reads it). To run the reader's version, the
//! edited region goes back between the same markers, and the rest of the file, with its
//! checker's part, stays as shipped.

/// `file` with the lines between its `ANCHOR: anchor` and `ANCHOR_END: anchor` lines
/// replaced by `code`; the marker lines stay. An error says which marker is missing.
pub fn splice(file: &str, anchor: &str, code: &str) -> Result<String, String> {
    let lines: Vec<&str> = file.split_inclusive('\n').collect();
    let marks = |line: &str, marker: &str| {
        line.split_once(marker)
            .is_some_and(|(_, name)| name.trim() == anchor)
    };
    let start = lines
        .iter()
        .position(|line| marks(line, "ANCHOR:"))
        .ok_or_else(|| format!("the file has no `ANCHOR: {anchor}` line"))?;
    let end = lines[start + 1..]
        .iter()
        .position(|line| marks(line, "ANCHOR_END:"))
        .map(|offset| start + 1 + offset)
        .ok_or_else(|| format!("the file has no `ANCHOR_END: {anchor}` line"))?;
    let mut out = String::with_capacity(file.len() + code.len());
    lines[..=start].iter().for_each(|line| out.push_str(line));
    out.push_str(code);
    if !code.is_empty() && !code.ends_with('\n') {
        out.push('\n');
    }
    lines[end..].iter().for_each(|line| out.push_str(line));
    Ok(out)
}

/// Where each named region of `file` sits: the lines between its marker lines.
pub fn regions(file: &str) -> Vec<crate::playground::runner::Region> {
    let mut found = Vec::new();
    let mut open: Vec<(String, usize)> = Vec::new();
    for (index, line) in file.lines().enumerate() {
        let number = index + 1;
        if let Some((_, name)) = line.split_once("ANCHOR_END:") {
            let name = name.trim();
            if let Some(at) = open.iter().position(|(open, _)| open == name) {
                let (anchor, first) = open.remove(at);
                found.push(crate::playground::runner::Region {
                    anchor,
                    first,
                    last: number - 1,
                });
            }
        } else if let Some((_, name)) = line.split_once("ANCHOR:") {
            open.push((name.trim().to_owned(), number + 1));
        }
    }
    found.sort_by_key(|region| region.first);
    found
}

/// `file` with the names that the reader's `codes` import (`use tokio::sync::Mutex;` typed
/// into a block) taken out of the file's own `use` lines above its first region, which
/// cannot be edited in the page: a fix that swaps an import is tried by writing the new
/// `use` in a block. A `use` line left empty becomes an empty line, so line numbers stay.
/// Only one-line `use` items are looked at.
pub fn imports_given(file: &str, codes: &[&str]) -> String {
    let given: Vec<String> = codes
        .iter()
        .flat_map(|code| code.lines())
        .flat_map(imported_names)
        .collect();
    if given.is_empty() {
        return file.to_owned();
    }
    let mut out = String::with_capacity(file.len());
    // Only the file's own imports, above its first region: a `use` inside the checker's
    // functions below stays as it is.
    let mut above = true;
    for line in file.split_inclusive('\n') {
        above &= !line.contains("ANCHOR:");
        let text = line.trim_end_matches(['\n', '\r']);
        match without_names(text, &given).filter(|_| above) {
            Some(kept) => {
                out.push_str(&kept);
                out.push_str(&line[text.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The names a one-line `use` item brings into scope: `use a::B;` → `B`, `use a::{B, c::D
/// as E};` → `B`, `E`. `self`, globs and nested groups are not names.
fn imported_names(line: &str) -> Vec<String> {
    let Some((_, items)) = use_item(line) else {
        return Vec::new();
    };
    items.iter().filter_map(|item| item_name(item)).collect()
}

/// `(path prefix, items)` of a one-line `use`: `use a::b::{C, D};` → (`a::b::`, [C, D]);
/// `use a::B;` → (``, [a::B]).
fn use_item(line: &str) -> Option<(String, Vec<String>)> {
    let trimmed = line.trim();
    let body = trimmed
        .strip_prefix("pub use ")
        .or_else(|| trimmed.strip_prefix("use "))?
        .strip_suffix(';')?
        .trim();
    match body.split_once('{') {
        Some((prefix, group)) => {
            let group = group.strip_suffix('}')?;
            if group.contains(['{', '}']) {
                return None;
            }
            let items = group
                .split(',')
                .map(|item| item.trim().to_owned())
                .filter(|item| !item.is_empty())
                .collect();
            Some((prefix.to_owned(), items))
        }
        None => Some((String::new(), vec![body.to_owned()])),
    }
}

fn item_name(item: &str) -> Option<String> {
    let name = match item.split_once(" as ") {
        Some((_, alias)) => alias.trim(),
        None => item.rsplit("::").next()?.trim(),
    };
    (name != "self" && name != "*" && name != "_" && !name.is_empty()).then(|| name.to_owned())
}

/// `line` without the items that import one of `names`, if it is a one-line `use` that
/// imports any of them (`None` otherwise: the line stays as it is).
fn without_names(line: &str, names: &[String]) -> Option<String> {
    let (prefix, items) = use_item(line)?;
    let taken = |item: &String| item_name(item).is_some_and(|name| names.contains(&name));
    if !items.iter().any(taken) {
        return None;
    }
    let kept: Vec<&String> = items.iter().filter(|item| !taken(item)).collect();
    if kept.is_empty() {
        return Some(String::new());
    }
    let indent = &line[..line.len() - line.trim_start().len()];
    let public = if line.trim_start().starts_with("pub ") {
        "pub "
    } else {
        ""
    };
    let list: Vec<&str> = kept.iter().map(|item| item.as_str()).collect();
    Some(format!(
        "{indent}{public}use {prefix}{{{}}};",
        list.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::{imports_given, regions, splice};

    const FILE: &str = "use x;\n// ANCHOR: handler\nfn old() {}\n// ANCHOR_END: handler\n\
                        // ANCHOR: handler_two\nfn two() {}\n// ANCHOR_END: handler_two\nfn main() {}\n";

    #[test]
    fn the_region_is_replaced_and_the_rest_kept() {
        assert_eq!(
            splice(FILE, "handler", "fn new() {}").as_deref(),
            Ok(
                "use x;\n// ANCHOR: handler\nfn new() {}\n// ANCHOR_END: handler\n\
                // ANCHOR: handler_two\nfn two() {}\n// ANCHOR_END: handler_two\nfn main() {}\n"
            )
        );
        let two = splice(FILE, "handler_two", "fn 2() {}\n").expect("spliced");
        assert!(
            two.contains("fn old() {}") && two.contains("fn 2() {}\n// ANCHOR_END: handler_two")
        );
    }

    #[test]
    fn a_missing_anchor_is_an_error() {
        assert!(splice(FILE, "state", "x").is_err_and(|e| e.contains("ANCHOR: state")));
        assert!(splice("// ANCHOR: a\nx\n", "a", "y").is_err_and(|e| e.contains("ANCHOR_END")));
    }

    #[test]
    fn regions_are_numbered_as_the_file() {
        let found = regions(FILE);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].anchor.as_str(), found[0].first, found[0].last),
            ("handler", 3, 3)
        );
        assert_eq!(
            (found[1].anchor.as_str(), found[1].first, found[1].last),
            ("handler_two", 6, 6)
        );
    }

    #[test]
    fn an_import_typed_in_a_block_replaces_the_files_own() {
        let file = "use std::collections::HashMap;\nuse std::sync::{Arc, Mutex};\nuse a::Mutex as M;\n\
                    // ANCHOR: state\nuse std::sync::Mutex;\n// ANCHOR_END: state\n\
                    fn check() {\n    use std::sync::Mutex;\n}\n";
        let given = imports_given(file, &["use tokio::sync::Mutex;\nstruct S;"]);
        assert_eq!(
            given,
            "use std::collections::HashMap;\nuse std::sync::{Arc};\nuse a::Mutex as M;\n\
             // ANCHOR: state\nuse std::sync::Mutex;\n// ANCHOR_END: state\n\
             fn check() {\n    use std::sync::Mutex;\n}\n"
        );
        let whole = imports_given(
            "use std::sync::Mutex;\nfn main() {}\n",
            &["use tokio::sync::{Mutex};"],
        );
        assert_eq!(whole, "\nfn main() {}\n");
        assert_eq!(imports_given(file, &["struct S;"]), file);
    }
}
