//! The questions a diagnostic cannot answer, asked of the source with `syn`: was a variable
//! dropped before the `.await`, and where does a temporary live?

use proc_macro2::LineColumn;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use crate::explain::Shape;

/// Whether `drop(name)` (or `std::mem::drop(name)`) is called between the line the value
/// was bound on and the line of the `.await`.
pub fn dropped_before(source: &str, name: &str, value_line: usize, await_line: usize) -> bool {
    let Ok(file) = syn::parse_file(source) else {
        // Unparsable source: fall back to the text.
        return source
            .lines()
            .skip(value_line)
            .take(await_line.saturating_sub(value_line + 1))
            .any(|line| line.contains(&format!("drop({name})")));
    };
    let mut finder = DropFinder {
        name,
        lines: value_line..await_line,
        found: false,
    };
    finder.visit_file(&file);
    finder.found
}

struct DropFinder<'a> {
    name: &'a str,
    lines: std::ops::Range<usize>,
    found: bool,
}

impl<'ast> Visit<'ast> for DropFinder<'_> {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let is_drop = matches!(&*call.func, syn::Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "drop"));
        let drops_name = call.args.iter().any(|arg| {
            matches!(arg, syn::Expr::Path(p)
            if p.path.is_ident(self.name))
        });
        if is_drop && drops_name && self.lines.contains(&call.span().start().line) {
            self.found = true;
        }
        visit::visit_expr_call(self, call);
    }
}

/// The shape of a temporary at `line`/`column` (1-based, as rustc reports them): in a
/// `match` scrutinee, an `if let` scrutinee, or `None` for a plain statement.
pub fn of_temporary(source: &str, line: usize, column: usize) -> Option<Shape> {
    let file = syn::parse_file(source).ok()?;
    let at = LineColumn {
        line,
        column: column.saturating_sub(1),
    };
    let mut finder = ScrutineeFinder { at, found: None };
    finder.visit_file(&file);
    finder.found
}

struct ScrutineeFinder {
    at: LineColumn,
    found: Option<Shape>,
}

impl ScrutineeFinder {
    fn covers(&self, node: &impl Spanned) -> bool {
        let span = node.span();
        span.start() <= self.at && self.at < span.end()
    }
}

impl<'ast> Visit<'ast> for ScrutineeFinder {
    fn visit_expr_match(&mut self, expr: &'ast syn::ExprMatch) {
        if self.covers(&expr.expr) {
            self.found = Some(Shape::MatchScrutinee);
        }
        visit::visit_expr_match(self, expr);
    }

    /// A `while let` scrutinee's temporaries live through the loop body, as a `match`'s
    /// live through its arms (the loop is a `match` in a `loop`).
    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        if let syn::Expr::Let(condition) = &*expr.cond
            && self.covers(&condition.expr)
        {
            self.found = Some(Shape::MatchScrutinee);
        }
        visit::visit_expr_while(self, expr);
    }

    fn visit_expr_if(&mut self, expr: &'ast syn::ExprIf) {
        if let syn::Expr::Let(condition) = &*expr.cond
            && self.covers(&condition.expr)
        {
            self.found = Some(Shape::IfLetScrutinee);
        }
        visit::visit_expr_if(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HANDLER: &str = "\
async fn f(m: Mutex<Map>) {
    let g = m.lock().unwrap();
    let v = g.get(1);
    drop(g);
    later().await;
    match m.lock().unwrap().get(2) {
        Some(x) => x.await,
        None => {}
    }
    if let Some(v) = m.lock().unwrap().get(3).cloned() {
    } else {
        other().await;
    }
    use_it(m.lock().unwrap().len()).await;
}
";

    #[test]
    fn finds_a_drop_between_the_binding_and_the_await() {
        assert!(dropped_before(HANDLER, "g", 2, 5));
        assert!(!dropped_before(HANDLER, "g", 5, 7));
        assert!(!dropped_before(HANDLER, "h", 2, 5));
    }

    #[test]
    fn tells_scrutinees_from_statements() {
        assert_eq!(of_temporary(HANDLER, 6, 11), Some(Shape::MatchScrutinee));
        assert_eq!(of_temporary(HANDLER, 10, 22), Some(Shape::IfLetScrutinee));
        assert_eq!(of_temporary(HANDLER, 14, 12), None);
    }
}
