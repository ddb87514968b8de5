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

#[cfg(test)]
mod tests {
    use super::splice;

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
}
