//! The questions a diagnostic cannot answer, asked of the source with `syn`: was a variable
//! dropped before the `.await`, where does a temporary live, which crate does a type come
//! from, where is a function defined, and which functions enclose a line?

use proc_macro2::LineColumn;
use quote::ToTokens;
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

/// The identifiers and other words of a text: `todo` and `iter_mut` in `todo.iter_mut()`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
}

/// A variable bound from `guard` between the guard's line and the `.await` (a reference
/// into it, as `let todo = todos.iter_mut().find(..)`) and used after the `.await`: its
/// name. Such a borrow keeps the guard alive to its last use, so a block around the lock
/// is not enough until what is needed is copied out. A binding that ends in a copy
/// (`.clone()`, `.cloned()`, `.to_owned()`…) owns its value and is not one.
pub fn borrow_of_guard_used_after(
    source: &str,
    guard: &str,
    guard_line: usize,
    await_line: usize,
) -> Option<String> {
    let file = syn::parse_file(source).ok()?;
    let mut finder = GuardBorrowFinder {
        guard,
        lines: guard_line..await_line,
        borrows: Vec::new(),
        uses: Vec::new(),
    };
    finder.visit_file(&file);
    finder
        .borrows
        .iter()
        .rev()
        .find(|name| {
            finder
                .uses
                .iter()
                .any(|(n, line)| n == *name && *line > await_line)
        })
        .cloned()
}

struct GuardBorrowFinder<'a> {
    guard: &'a str,
    lines: std::ops::Range<usize>,
    /// Variables bound from the guard within `lines`.
    borrows: Vec<String>,
    /// Every identifier and its line.
    uses: Vec<(String, usize)>,
}

impl GuardBorrowFinder<'_> {
    /// Records the names `pat` binds when `expr`, on `line`, borrows from the guard.
    fn bound_from(&mut self, pat: &syn::Pat, expr: &syn::Expr, line: usize) {
        if !(self.lines.contains(&line) && line > self.lines.start) {
            return;
        }
        let text = expr.to_token_stream().to_string();
        let names_guard = words(&text).any(|word| word == self.guard);
        let copies = [
            "clone",
            "cloned",
            "copied",
            "to_owned",
            "to_string",
            "to_vec",
            "len",
            "is_empty",
            "is_some",
            "is_none",
        ]
        .iter()
        .any(|m| text.trim_end().ends_with(&format!(". {m} ()")));
        if names_guard && !copies {
            pattern_names(pat, &mut self.borrows);
        }
    }
}

/// The variables a pattern binds: `todo` in `Some(todo)`, `a` and `b` in `(a, b)`.
fn pattern_names(pat: &syn::Pat, names: &mut Vec<String>) {
    match pat {
        syn::Pat::Ident(ident) => names.push(ident.ident.to_string()),
        syn::Pat::Type(typed) => pattern_names(&typed.pat, names),
        syn::Pat::Reference(reference) => pattern_names(&reference.pat, names),
        syn::Pat::Tuple(tuple) => tuple.elems.iter().for_each(|p| pattern_names(p, names)),
        syn::Pat::TupleStruct(tuple) => tuple.elems.iter().for_each(|p| pattern_names(p, names)),
        syn::Pat::Struct(fields) => fields
            .fields
            .iter()
            .for_each(|f| pattern_names(&f.pat, names)),
        _ => {}
    }
}

impl<'ast> Visit<'ast> for GuardBorrowFinder<'_> {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.bound_from(&local.pat, &init.expr, local.span().start().line);
        }
        visit::visit_local(self, local);
    }

    fn visit_expr_let(&mut self, binding: &'ast syn::ExprLet) {
        // `if let Some(todo) = todos.iter_mut().find(..)`.
        self.bound_from(&binding.pat, &binding.expr, binding.span().start().line);
        visit::visit_expr_let(self, binding);
    }

    fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
        self.uses
            .push((ident.to_string(), ident.span().start().line));
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `println!("{todo}")` and `format!("{}", todo)` use names too.
        let line = mac.span().start().line;
        let text = mac.tokens.to_string();
        self.uses
            .extend(words(&text).map(|word| (word.to_owned(), line)));
        visit::visit_macro(self, mac);
    }
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

/// Whether the file defines a type (struct, enum, union, type alias or trait) named `name`.
pub fn defines_type(source: &str, name: &str) -> bool {
    let Ok(file) = syn::parse_file(source) else {
        return false;
    };
    let mut finder = TypeFinder { name, found: false };
    finder.visit_file(&file);
    finder.found
}

struct TypeFinder<'a> {
    name: &'a str,
    found: bool,
}

impl<'ast> Visit<'ast> for TypeFinder<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let ident = match item {
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            _ => None,
        };
        if ident.is_some_and(|i| i == self.name) {
            self.found = true;
        }
        visit::visit_item(self, item);
    }
}

/// The crate a type or path comes from, when it is another crate (not `std`, `core`,
/// `alloc`, nor a module of this file): from the path itself (`scraper::Html`), or from the
/// `use` that brings its first segment or its name into scope.
pub fn crate_of(source: &str, ty: &str) -> Option<String> {
    let ty = ty.trim_start_matches('&').trim_start_matches("mut ").trim();
    // Trait objects, opaque types, pointers, tuples and slices are nobody's nominal type.
    if ty.starts_with("dyn ") || ty.starts_with("impl ") || ty.starts_with(['(', '[', '*', '{']) {
        return None;
    }
    let path = ty.split('<').next().unwrap_or(ty).trim();
    let file = syn::parse_file(source).ok()?;
    let mut uses = UseFinder::default();
    uses.visit_file(&file);
    let segments: Vec<&str> = path.split("::").collect();
    let first = *segments.first()?;
    let root = if segments.len() > 1 {
        // `scraper::Html`, or `dom::Html` where `dom` came in by a `use`.
        uses.origin(first).unwrap_or_else(|| first.to_owned())
    } else {
        uses.origin(first)?
    };
    let local = ["std", "core", "alloc", "crate", "self", "super"].contains(&root.as_str())
        || uses.modules.contains(&root);
    (!local).then_some(root)
}

/// The crates, other than std's, whose paths a type's text names (`ego_tree` in
/// `ego_tree::Node<Node>`, `quotes` in `Rc<RefCell<quotes::Interpreter>>`), leaving out
/// trait objects (`dyn futures::Future<…>` is a future, whoever's trait it is) and modules
/// the file declares.
pub fn foreign_paths(source: &str, ty: &str) -> Vec<String> {
    let modules = syn::parse_file(source)
        .map(|file| {
            let mut uses = UseFinder::default();
            uses.visit_file(&file);
            uses.modules
        })
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = ty[at..].find("::") {
        let end = at + offset;
        // The identifier before `::`, if it starts a path (not `a::b::c`'s `b`).
        let start = ty[..end]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let first = &ty[start..end];
        let starts_path = start < 2 || &ty[start - 2..start] != "::";
        let in_trait_object = ty[..start].ends_with("dyn ")
            || ty[..start].ends_with("dyn (")
            || ty[..start].ends_with("impl ");
        if starts_path
            && !in_trait_object
            && !first.is_empty()
            && !["std", "core", "alloc", "crate", "self", "super"].contains(&first)
            && !modules.iter().any(|m| m == first)
            && !found.iter().any(|f| f == first)
        {
            found.push(first.to_owned());
        }
        at = end + 2;
    }
    found
}

#[derive(Default)]
struct UseFinder {
    /// Each name a `use` brings in, with the first segment of its path.
    names: Vec<(String, String)>,
    /// The modules the file declares (`mod dom { … }`).
    modules: Vec<String>,
}

impl UseFinder {
    fn origin(&self, name: &str) -> Option<String> {
        self.names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, root)| root.clone())
    }

    fn walk(&mut self, tree: &syn::UseTree, root: Option<&str>) {
        match tree {
            syn::UseTree::Path(p) => {
                let ident = p.ident.to_string();
                let root = root.map(str::to_owned).unwrap_or(ident);
                self.walk(&p.tree, Some(&root));
            }
            syn::UseTree::Name(n) => {
                let ident = n.ident.to_string();
                let root = root.map_or(ident.clone(), str::to_owned);
                self.names.push((ident, root));
            }
            syn::UseTree::Rename(r) => {
                let root = root.map_or(r.ident.to_string(), str::to_owned);
                self.names.push((r.rename.to_string(), root));
            }
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.walk(tree, root);
                }
            }
            syn::UseTree::Glob(_) => {}
        }
    }
}

impl<'ast> Visit<'ast> for UseFinder {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.walk(&item.tree, None);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.modules.push(item.ident.to_string());
        visit::visit_item_mod(self, item);
    }
}

/// Whether `line`/`column` (1-based) is inside the arguments of a formatting macro
/// (`format!`, `write!`, `println!`…), whose arguments are borrowed as temporaries of the
/// statement.
pub fn in_format_macro(source: &str, line: usize, column: usize) -> bool {
    let Ok(file) = syn::parse_file(source) else {
        return false;
    };
    let at = LineColumn {
        line,
        column: column.saturating_sub(1),
    };
    let mut finder = FormatMacroFinder { at, found: false };
    finder.visit_file(&file);
    finder.found
}

struct FormatMacroFinder {
    at: LineColumn,
    found: bool,
}

impl<'ast> Visit<'ast> for FormatMacroFinder {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        const FORMATTING: &[&str] = &[
            "format",
            "format_args",
            "write",
            "writeln",
            "print",
            "println",
            "eprint",
            "eprintln",
            "panic",
            "info",
            "warn",
            "error",
            "debug",
            "trace",
        ];
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        let span = mac.tokens.span();
        if name.is_some_and(|n| FORMATTING.contains(&n.as_str()))
            && span.start() <= self.at
            && self.at < span.end()
        {
            self.found = true;
        }
        visit::visit_macro(self, mac);
    }
}

/// `chunks` when the span at `line`/`column` (1-based) is the initializer of
/// `let [mut] chunks = …`.
pub fn let_binding_at(source: &str, line: usize, column: usize) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let before: String = text.chars().take(column.saturating_sub(1)).collect();
    let before = before.trim_end().strip_suffix('=')?.trim_end();
    let (head, name) = before.rsplit_once(' ')?;
    let head = head.trim_end();
    let is_let = head.ends_with("let") || head.ends_with("let mut");
    (is_let && name.chars().all(|c| c.is_alphanumeric() || c == '_')).then(|| name.to_owned())
}

/// The function a call expression calls: `load` in `store::load(id)`, `get` in
/// `self.store.get(&key)`, `visit` in `visit(n - 1)`.
pub fn callee_name(call: &str) -> Option<String> {
    let before_args = call.trim().strip_suffix(')')?;
    let mut depth = 0usize;
    let mut open = None;
    for (at, c) in before_args.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                open = Some(at);
                break;
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    let callee = before_args[..open?].trim_end();
    let callee = callee.split("::<").next().unwrap_or(callee);
    let name = callee.rsplit(['.', ':']).next()?.trim();
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then(|| name.to_owned())
}

/// The line of `fn name` (an `async fn`, a method, a function in a trait) in the file.
pub fn fn_line(source: &str, name: &str) -> Option<usize> {
    let file = syn::parse_file(source).ok()?;
    let mut finder = FnFinder::default();
    finder.visit_file(&file);
    finder
        .fns
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, range)| *range.start())
}

/// The functions whose bodies contain `line`, innermost last.
pub fn enclosing_fns(source: &str, line: usize) -> Vec<String> {
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut finder = FnFinder::default();
    finder.visit_file(&file);
    finder
        .fns
        .into_iter()
        .filter(|(_, range)| range.contains(&line))
        .map(|(name, _)| name)
        .collect()
}

/// In the function whose `fn` is on `fn_line`, the first statement that keeps a closure
/// across an `.await`: a `let` whose value holds a closure, with an `.await` after it in the
/// same block (its name and line), or a statement with both (its line). A closure's type is
/// what a higher-ranked lifetime error is about.
pub fn closure_across_await(source: &str, fn_line: usize) -> Option<(Option<String>, usize)> {
    let file = syn::parse_file(source).ok()?;
    let mut bodies = BodyAt {
        line: fn_line,
        body: None,
    };
    bodies.visit_file(&file);
    let mut finder = HeldClosure { found: None };
    finder.visit_block(bodies.body.as_ref()?);
    finder.found
}

/// The body of the function whose `fn` is on `line`.
struct BodyAt {
    line: usize,
    body: Option<syn::Block>,
}

impl BodyAt {
    fn consider(&mut self, sig: &syn::Signature, block: &syn::Block) {
        if self.body.is_none() && sig.fn_token.span.start().line == self.line {
            self.body = Some(block.clone());
        }
    }
}

impl<'ast> Visit<'ast> for BodyAt {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.consider(&item.sig, &item.block);
        visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.consider(&item.sig, &item.block);
        visit::visit_impl_item_fn(self, item);
    }
}

struct HeldClosure {
    found: Option<(Option<String>, usize)>,
}

/// Whether a node has a closure, and an `.await`, outside nested functions.
#[derive(Default)]
struct Contains {
    closure: bool,
    awaits: bool,
}

impl<'ast> Visit<'ast> for Contains {
    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.closure = true;
        visit::visit_expr_closure(self, closure);
    }

    fn visit_expr_await(&mut self, expr: &'ast syn::ExprAwait) {
        self.awaits = true;
        visit::visit_expr_await(self, expr);
    }

    fn visit_item_fn(&mut self, _: &'ast syn::ItemFn) {}
}

fn contents(stmt: &syn::Stmt) -> Contains {
    let mut contains = Contains::default();
    contains.visit_stmt(stmt);
    contains
}

impl<'ast> Visit<'ast> for HeldClosure {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        for (i, stmt) in block.stmts.iter().enumerate() {
            let line = stmt.span().start().line;
            if self.found.as_ref().is_some_and(|(_, l)| *l <= line) {
                break;
            }
            let here = contents(stmt);
            if !here.closure {
                continue;
            }
            if let syn::Stmt::Local(local) = stmt
                && let syn::Pat::Ident(ident) = &local.pat
                && block.stmts[i + 1..].iter().any(|s| contents(s).awaits)
            {
                self.found = Some((Some(ident.ident.to_string()), line));
            } else if here.awaits {
                self.found = Some((None, line));
            }
        }
        visit::visit_block(self, block);
    }

    fn visit_item_fn(&mut self, _: &'ast syn::ItemFn) {}
}

/// The innermost function whose body contains `line`, and the line of its `fn`.
pub fn innermost_fn(source: &str, line: usize) -> Option<(String, usize)> {
    let file = syn::parse_file(source).ok()?;
    let mut finder = FnFinder::default();
    finder.visit_file(&file);
    finder
        .fns
        .into_iter()
        .filter(|(_, range)| range.contains(&line))
        .max_by_key(|(_, range)| *range.start())
        .map(|(name, range)| (name, *range.start()))
}

#[derive(Default)]
struct FnFinder {
    /// Every function with the lines it spans (end inclusive).
    fns: Vec<(String, std::ops::RangeInclusive<usize>)>,
}

impl FnFinder {
    /// From the `fn` line (not its doc comment or attributes) to the end of its body.
    fn add(&mut self, sig: &syn::Signature, span: proc_macro2::Span) {
        let start = sig
            .asyncness
            .map_or(sig.fn_token.span, |a| a.span)
            .start()
            .line;
        self.fns
            .push((sig.ident.to_string(), start..=span.end().line));
    }
}

impl<'ast> Visit<'ast> for FnFinder {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.add(&item.sig, item.span());
        visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.add(&item.sig, item.span());
        visit::visit_impl_item_fn(self, item);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.add(&item.sig, item.span());
        visit::visit_trait_item_fn(self, item);
    }
}

/// The line a variable `name`, used on `line`, was bound on: its last `let` (or parameter)
/// before that line.
pub fn binding_line(source: &str, name: &str, line: usize) -> Option<usize> {
    let file = syn::parse_file(source).ok()?;
    let mut finder = CaptureFinder {
        line: 0,
        column: usize::MAX,
        culprit: &[],
        bindings: Vec::new(),
        used: None,
    };
    finder.visit_file(&file);
    finder
        .bindings
        .iter()
        .rev()
        .find(|(n, at, _)| n == name && *at <= line)
        .map(|(_, at, _)| *at)
}

/// The variable a closure or async block at (`line`, `column`) captures that holds a type
/// named `culprit` (`Rc`, `Cell`): its name and the line it is bound on, from the `let`s
/// and parameters of the function around it.
pub fn captured_variable(
    source: &str,
    line: usize,
    column: usize,
    culprit: &[String],
) -> Option<(String, usize)> {
    let file = syn::parse_file(source).ok()?;
    let mut finder = CaptureFinder {
        line,
        column: column.saturating_sub(1),
        culprit,
        bindings: Vec::new(),
        used: None,
    };
    finder.visit_file(&file);
    let used = finder.used?;
    finder
        .bindings
        .iter()
        .rev()
        .find(|(name, at, mentions)| *mentions && *at <= line && used.contains(name))
        .map(|(name, at, _)| (name.clone(), *at))
}

struct CaptureFinder<'a> {
    line: usize,
    column: usize,
    /// The type names to look for in a binding's type or value.
    culprit: &'a [String],
    /// Every binding seen before the closure: name, line, whether its type or value names
    /// the culprit.
    bindings: Vec<(String, usize, bool)>,
    /// The single names the closure (or block) uses.
    used: Option<Vec<String>>,
}

impl CaptureFinder<'_> {
    fn starts_here(&self, span: proc_macro2::Span) -> bool {
        let start = span.start();
        start.line == self.line && start.column >= self.column
    }

    fn names_used(expr: &syn::Expr) -> Vec<String> {
        #[derive(Default)]
        struct Names(Vec<String>);
        impl<'ast> Visit<'ast> for Names {
            fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
                if let Some(ident) = path.path.get_ident() {
                    self.0.push(ident.to_string());
                }
            }
            fn visit_macro(&mut self, mac: &'ast syn::Macro) {
                // `format!("{title}")` and `println!("{}", title)` use names too.
                let text = mac.tokens.to_string();
                self.0.extend(words(&text).map(str::to_owned));
            }
        }
        let mut names = Names::default();
        names.visit_expr(expr);
        names.0
    }
}

impl<'ast> Visit<'ast> for CaptureFinder<'_> {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        let name = match &local.pat {
            syn::Pat::Ident(ident) => Some(ident.ident.to_string()),
            syn::Pat::Type(typed) => match typed.pat.as_ref() {
                syn::Pat::Ident(ident) => Some(ident.ident.to_string()),
                _ => None,
            },
            _ => None,
        };
        if let Some(name) = name {
            let text = local.to_token_stream().to_string();
            let mentions = words(&text).any(|w| self.culprit.iter().any(|c| c == w));
            self.bindings
                .push((name, local.span().start().line, mentions));
        }
        visit::visit_local(self, local);
    }

    fn visit_fn_arg(&mut self, arg: &'ast syn::FnArg) {
        if let syn::FnArg::Typed(typed) = arg
            && let syn::Pat::Ident(ident) = typed.pat.as_ref()
        {
            let text = typed.ty.to_token_stream().to_string();
            let mentions = words(&text).any(|w| self.culprit.iter().any(|c| c == w));
            self.bindings
                .push((ident.ident.to_string(), typed.span().start().line, mentions));
        }
        visit::visit_fn_arg(self, arg);
    }

    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        if self.used.is_none()
            && matches!(expr, syn::Expr::Closure(_) | syn::Expr::Async(_))
            && self.starts_here(expr.span())
        {
            self.used = Some(Self::names_used(expr));
            return;
        }
        visit::visit_expr(self, expr);
    }
}

/// `Foo` in `&mut foo::Foo<'_, T>`.
pub fn base_type_name(ty: &str) -> &str {
    let ty = ty.trim_start_matches('&').trim_start_matches("mut ").trim();
    let ty = ty.trim_start_matches('(').trim_start_matches("dyn ").trim();
    let ty = ty.split(['<', ' ', '+', ')']).next().unwrap_or(ty);
    ty.rsplit("::").next().unwrap_or(ty).trim()
}

/// Types of std too common to tell one variable from another by (`String`, `Vec`).
pub fn is_plain_std_type(name: &str) -> bool {
    matches!(
        name,
        "String"
            | "Vec"
            | "Option"
            | "Result"
            | "Box"
            | "HashMap"
            | "BTreeMap"
            | "HashSet"
            | "RandomState"
            | "RawTable"
            | "Send"
            | "Sync"
            | "Output"
            | "Future"
            | "Pin"
    )
}

/// The names a type's text mentions that could be types of the reader's (capitalised):
/// `State`, `AppState` in `axum::extract::State<AppState>`.
/// Names reached through std's paths (`std::error::Error`) or written as trait objects
/// (`dyn Error`) are left out: they are not the reader's types, whatever the reader named
/// theirs.
pub fn type_idents(ty: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut path: Vec<&str> = Vec::new();
    let mut after_dyn = false;
    let mut rest = ty;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (word, tail) = rest.split_at(end);
        if !word.is_empty() {
            path.push(word);
        }
        if let Some(next) = tail.strip_prefix("::") {
            rest = next;
            continue;
        }
        // The end of a path: its last segment, unless std's or a trait object's.
        if let Some(last) = path.last() {
            let std_path = path.len() > 1 && matches!(path[0], "std" | "core" | "alloc");
            if *last == "dyn" {
                after_dyn = true;
            } else {
                if last.chars().next().is_some_and(char::is_uppercase) && !std_path && !after_dyn {
                    found.push((*last).to_owned());
                }
                after_dyn = false;
            }
        }
        path.clear();
        rest = tail.get(1..).unwrap_or_default();
        if tail.starts_with(char::is_whitespace) && path.is_empty() {
            continue;
        }
    }
    found
}

/// The field of the struct or enum defined at `line` whose type names one of `wanted`
/// (base names such as `Rc`, `Cell`): its name (or index) and its type as written.
pub fn field_holding(source: &str, line: usize, wanted: &[String]) -> Option<(String, String)> {
    let file = syn::parse_file(source).ok()?;
    let mut finder = DefinitionAt { line, fields: None };
    finder.visit_file(&file);
    let fields = finder.fields?;
    for wanted in wanted {
        for (name, ty) in &fields {
            if type_names(ty).iter().any(|n| n == wanted) {
                return Some((name.clone(), compact(&ty.to_token_stream().to_string())));
            }
        }
    }
    None
}

/// Every type name a type mentions: `Rc`, `Cell`, `u32` in `Rc<Cell<u32>>`.
fn type_names(ty: &syn::Type) -> Vec<String> {
    #[derive(Default)]
    struct Names(Vec<String>);
    impl<'ast> Visit<'ast> for Names {
        fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
            self.0.push(segment.ident.to_string());
            visit::visit_path_segment(self, segment);
        }
    }
    let mut names = Names::default();
    names.visit_type(ty);
    names.0
}

struct DefinitionAt {
    line: usize,
    fields: Option<Vec<(String, syn::Type)>>,
}

impl DefinitionAt {
    fn take(&mut self, ident: &syn::Ident, fields: Vec<&syn::Field>) {
        if self.fields.is_none() && ident.span().start().line == self.line {
            self.fields = Some(
                fields
                    .into_iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let name = f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
                        (name, f.ty.clone())
                    })
                    .collect(),
            );
        }
    }
}

impl<'ast> Visit<'ast> for DefinitionAt {
    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        self.take(&item.ident, item.fields.iter().collect());
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        let fields = item.variants.iter().flat_map(|v| v.fields.iter()).collect();
        self.take(&item.ident, fields);
    }
}

/// The type as it reads, without the spaces token streams put around punctuation.
pub fn compact(tokens: &str) -> String {
    let mut out = tokens.to_owned();
    for (from, to) in [
        (" < ", "<"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        ("& ", "&"),
        ("' ", "'"),
        (" ;", ";"),
        ("( ", "("),
        (" )", ")"),
    ] {
        while out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// A field's type with what keeps it from crossing threads replaced by the usual
/// thread-safe counterpart: `Rc<Cell<u32>>` → `Arc<AtomicU32>`, `Rc<RefCell<T>>` →
/// `Arc<Mutex<T>>`, `Box<dyn Trait>` → `Box<dyn Trait + Send + Sync>`.
pub fn thread_safe_version(field_type: &str) -> Option<String> {
    let mut ty: syn::Type = syn::parse_str(field_type).ok()?;
    syn::visit_mut::VisitMut::visit_type_mut(&mut ThreadSafe, &mut ty);
    Some(compact(&ty.to_token_stream().to_string()))
}

struct ThreadSafe;

impl syn::visit_mut::VisitMut for ThreadSafe {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        syn::visit_mut::visit_type_mut(self, ty);
        match ty {
            syn::Type::Path(path) => {
                let Some(last) = path.path.segments.last() else {
                    return;
                };
                let name = last.ident.to_string();
                let argument = match &last.arguments {
                    syn::PathArguments::AngleBracketed(args) => args.args.first().cloned(),
                    _ => None,
                };
                let replacement: Option<syn::Type> = match (name.as_str(), argument) {
                    ("Rc", Some(arg)) => Some(syn::parse_quote!(Arc<#arg>)),
                    ("Weak", Some(arg)) if path_text(path).contains("rc") => {
                        Some(syn::parse_quote!(std::sync::Weak<#arg>))
                    }
                    ("RefCell", Some(arg)) => Some(syn::parse_quote!(Mutex<#arg>)),
                    ("Cell", Some(syn::GenericArgument::Type(inner))) => {
                        let atomic = match inner.to_token_stream().to_string().as_str() {
                            "bool" => Some("AtomicBool"),
                            "u8" => Some("AtomicU8"),
                            "u16" => Some("AtomicU16"),
                            "u32" => Some("AtomicU32"),
                            "u64" => Some("AtomicU64"),
                            "usize" => Some("AtomicUsize"),
                            "i8" => Some("AtomicI8"),
                            "i16" => Some("AtomicI16"),
                            "i32" => Some("AtomicI32"),
                            "i64" => Some("AtomicI64"),
                            "isize" => Some("AtomicIsize"),
                            _ => None,
                        };
                        match atomic {
                            Some(a) => syn::parse_str(a).ok(),
                            None => Some(syn::parse_quote!(Mutex<#inner>)),
                        }
                    }
                    _ => None,
                };
                if let Some(replacement) = replacement {
                    *ty = replacement;
                }
            }
            syn::Type::TraitObject(object) => {
                let has = |bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, _>,
                           name: &str| {
                    bounds.iter().any(|b| {
                        matches!(b, syn::TypeParamBound::Trait(t)
                            if t.path.segments.last().is_some_and(|s| s.ident == name))
                    })
                };
                for name in ["Send", "Sync"] {
                    if !has(&object.bounds, name) {
                        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
                        object.bounds.push(syn::parse_quote!(#ident));
                    }
                }
            }
            _ => {}
        }
    }
}

fn path_text(path: &syn::TypePath) -> String {
    path.to_token_stream().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_borrow_of_the_guard_used_after_the_await_is_named() {
        // Lines: 2 the guard, 3 the borrow, 4 the `.await`, 5 the use.
        let by_let = "async fn f(m: &Mutex<Vec<T>>) -> T {
            let mut todos = m.lock().unwrap();
            let todo = todos.iter_mut().find(|t| t.ok).unwrap();
            audit().await;
            todo.clone()
        }";
        assert_eq!(
            borrow_of_guard_used_after(by_let, "todos", 2, 4).as_deref(),
            Some("todo")
        );
        let by_if_let = "async fn f(m: &Mutex<Vec<T>>) -> Option<T> {
            let mut todos = m.lock().unwrap();
            if let Some(todo) = todos.iter_mut().find(|t| t.ok) {
                audit().await;
                return Some(todo.clone());
            }
            None
        }";
        assert_eq!(
            borrow_of_guard_used_after(by_if_let, "todos", 2, 4).as_deref(),
            Some("todo")
        );
        let in_a_macro = by_let.replace("todo.clone()", "format!(\"{todo}\")");
        assert_eq!(
            borrow_of_guard_used_after(&in_a_macro, "todos", 2, 4).as_deref(),
            Some("todo")
        );
        // A copy owns its value; a borrow not used after the `.await` keeps nothing alive.
        let copied = by_let.replace("t.ok).unwrap();", "t.ok).unwrap().clone();");
        assert_eq!(borrow_of_guard_used_after(&copied, "todos", 2, 4), None);
        let unused_after = by_let.replace("todo.clone()", "other()");
        assert_eq!(
            borrow_of_guard_used_after(&unused_after, "todos", 2, 4),
            None
        );
        // Bound from another value: not the guard's.
        assert_eq!(borrow_of_guard_used_after(by_let, "names", 2, 4), None);
    }

    #[test]
    fn own_fields_are_found_and_made_thread_safe() {
        let source =
            "pub struct Ctx {\n    user: u64,\n    seen: std::rc::Rc<std::cell::Cell<u32>>,\n}\n";
        assert_eq!(
            field_holding(source, 1, &["Rc".to_owned()]),
            Some(("seen".into(), "std::rc::Rc<std::cell::Cell<u32>>".into()))
        );
        assert_eq!(
            thread_safe_version("std::rc::Rc<std::cell::Cell<u32>>").as_deref(),
            Some("Arc<AtomicU32>")
        );
        assert_eq!(
            thread_safe_version("Rc<RefCell<Vec<String>>>").as_deref(),
            Some("Arc<Mutex<Vec<String>>>")
        );
        assert_eq!(
            thread_safe_version("Box<dyn Notifier>").as_deref(),
            Some("Box<dyn Notifier + Send + Sync>")
        );
        assert_eq!(
            base_type_name("&lib_core::model::ConvCache<'_>"),
            "ConvCache"
        );
    }

    #[test]
    fn crates_are_told_from_modules_and_std() {
        let source = "use scraper::{Html, Selector};\nuse std::rc::Rc;\nuse dom::Page;\nmod dom { pub struct Page; }\nfn main() {}\n";
        assert_eq!(crate_of(source, "Html").as_deref(), Some("scraper"));
        assert_eq!(
            crate_of(source, "scraper::Html").as_deref(),
            Some("scraper")
        );
        assert_eq!(
            crate_of(source, "&Selector<'_>").as_deref(),
            Some("scraper")
        );
        assert_eq!(crate_of(source, "Rc<u8>"), None);
        assert_eq!(crate_of(source, "Page"), None);
        assert_eq!(crate_of(source, "Unknown"), None);
        assert!(defines_type(source, "Page"));
        assert!(!defines_type(source, "Html"));
    }

    #[test]
    fn paths_of_other_crates_are_found_in_types() {
        let source = "mod dom { pub struct Page; }\nfn main() {}\n";
        assert_eq!(foreign_paths(source, "ego_tree::Node<Node>"), ["ego_tree"]);
        assert_eq!(
            foreign_paths(source, "std::rc::Rc<RefCell<quotes::Interpreter>>"),
            ["quotes"]
        );
        assert!(
            foreign_paths(
                source,
                "dyn futures::Future<Output = u64> + std::marker::Send"
            )
            .is_empty()
        );
        assert!(foreign_paths(source, "dom::Page").is_empty());
        assert!(foreign_paths(source, "std::sync::MutexGuard<'_, u64>").is_empty());
    }

    #[test]
    fn format_arguments_and_let_bindings_are_found() {
        let source = "async fn f(p: &str) {\n    let s = format!(\"{}/{}\", p, g().await);\n    let mut c = pin!(x);\n}\n";
        assert!(in_format_macro(source, 2, 31));
        assert!(!in_format_macro(source, 2, 9));
        assert_eq!(let_binding_at(source, 3, 17).as_deref(), Some("c"));
        assert_eq!(let_binding_at(source, 2, 13).as_deref(), Some("s"));
        assert_eq!(let_binding_at(source, 2, 31), None);
    }

    #[test]
    fn calls_name_their_function() {
        assert_eq!(callee_name("store.get(1)").as_deref(), Some("get"));
        assert_eq!(callee_name("visit(n - 1)").as_deref(), Some("visit"));
        assert_eq!(
            callee_name("client::fetch::<u8>(url, (1, 2))").as_deref(),
            Some("fetch")
        );
        assert_eq!(
            callee_name("self.load(k).boxed()").as_deref(),
            Some("boxed")
        );
        assert_eq!(callee_name("fut"), None);
        let source =
            "async fn visit(n: u32) -> u32 {\n    visit(n - 1).await\n}\n\nfn other() {}\n";
        assert_eq!(fn_line(source, "visit"), Some(1));
        assert_eq!(enclosing_fns(source, 2), ["visit"]);
        assert!(enclosing_fns(source, 5).iter().all(|f| f == "other"));
    }

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

    #[test]
    fn finds_the_closure_kept_across_an_await() {
        let source = "impl W {\n    async fn batch(&self, names: &[String]) {\n        \
                      let n = names.len();\n        let mut jobs = names.iter().map(|n| \
                      n.trim()).peekable();\n        while let Some(j) = jobs.next() {\n            \
                      self.run(j).await;\n        }\n    }\n}\n";
        assert_eq!(
            closure_across_await(source, 2),
            Some((Some("jobs".to_owned()), 4))
        );
        assert_eq!(closure_across_await(source, 3), None);
        let chained = "async fn all(names: &[String]) -> usize {\n    let sizes: Vec<usize> = \
                       stream(names).map(|n| async move { n.len() }).collect().await;\n    \
                       sizes.len()\n}\n";
        assert_eq!(closure_across_await(chained, 1), Some((None, 2)));
        assert_eq!(innermost_fn(source, 6), Some(("batch".to_owned(), 2)));
        assert_eq!(innermost_fn(source, 1), None);
    }
}
