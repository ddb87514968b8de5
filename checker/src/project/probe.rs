//! The functions of a project whose futures a recheck asks about, and the probes that ask.
//!
//! Where the compiler refuses a future without naming a value (axum's `Handler`, a
//! `from_fn` middleware's `Service`, a trait implemented for every `Fn` whose future is
//! `Send`), a probe asks the question directly, as "Finding the culprit" teaches: a
//! function that calls the suspect and requires its future to be `Send`. The compiler then
//! answers with the value and the `.await`.
//!
//! A probe is written on the same line as the end of the item it follows, so no line of
//! the copy moves: what the recheck reports at a line is at that line in the user's file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::LineColumn;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// The name every probe function starts with.
pub const PROBE_PREFIX: &str = "__explain_send_probe_";

/// A function (or method) that returns a future, as written in the user's source.
#[derive(Debug, Clone)]
pub struct FutureFn {
    /// The file, relative to the workspace root.
    pub file: PathBuf,
    pub name: String,
    /// `Type::name` for a method, else `name`: how the reader knows it.
    pub display: String,
    /// The modules the file stands for (`handlers::books` for `src/handlers/books.rs`),
    /// then any inline modules.
    pub modules: Vec<String>,
    /// The line of its `fn`, and of its name.
    pub line: usize,
    pub name_column: usize,
    /// The names of the functions and methods whose futures it awaits.
    pub awaits: Vec<String>,
    /// The probe to write after the item at `insert_at`, when one can be written.
    probe: Option<ProbeParts>,
    insert_at: LineColumn,
}

#[derive(Debug, Clone)]
struct ProbeParts {
    generics: String,
    params: Vec<String>,
    where_clause: String,
    call: String,
    unsafe_call: bool,
}

/// Every function that returns a future in the given files (paths relative to `root`).
pub fn index(root: &Path, files: &[PathBuf]) -> Vec<FutureFn> {
    let mut found = Vec::new();
    for file in files {
        if let Ok(source) = std::fs::read_to_string(root.join(file)) {
            found.extend(index_source(file, &source));
        }
    }
    found
}

/// Every function that returns a future in one file's `source` (`file` is the name the
/// compiler will know it by).
pub fn index_source(file: &Path, source: &str) -> Vec<FutureFn> {
    let mut found = Vec::new();
    if let Ok(parsed) = syn::parse_file(source) {
        let mut collector = Collector {
            file: file.to_owned(),
            modules: modules_of(file),
            found: &mut found,
        };
        collector.items(&parsed.items);
    }
    found
}

/// Every struct and enum in the given files: its name, file and the line of its name.
pub fn type_index(root: &Path, files: &[PathBuf]) -> Vec<(String, PathBuf, usize)> {
    struct Types<'a> {
        file: &'a Path,
        found: Vec<(String, PathBuf, usize)>,
    }
    impl<'ast> Visit<'ast> for Types<'_> {
        fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
            self.push(&item.ident);
        }
        fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
            self.push(&item.ident);
        }
    }
    impl Types<'_> {
        fn push(&mut self, ident: &syn::Ident) {
            self.found.push((
                ident.to_string(),
                self.file.to_owned(),
                ident.span().start().line,
            ));
        }
    }
    let mut found = Vec::new();
    for file in files {
        let Ok(source) = std::fs::read_to_string(root.join(file)) else {
            continue;
        };
        let Ok(parsed) = syn::parse_file(&source) else {
            continue;
        };
        let mut types = Types {
            file,
            found: Vec::new(),
        };
        types.visit_file(&parsed);
        found.extend(types.found);
    }
    found
}

/// `handlers::books` for `src/handlers/books.rs`; `handlers` for `src/handlers/mod.rs`.
fn modules_of(file: &Path) -> Vec<String> {
    let parts: Vec<String> = file
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let after_src = parts
        .iter()
        .rposition(|p| matches!(p.as_str(), "src" | "tests" | "examples" | "benches"))
        .map_or(0, |i| i + 1);
    let mut modules: Vec<String> = parts[after_src..]
        .iter()
        .map(|p| p.trim_end_matches(".rs").to_owned())
        .collect();
    if modules
        .last()
        .is_some_and(|m| matches!(m.as_str(), "mod" | "lib" | "main"))
    {
        modules.pop();
    }
    modules
}

struct Collector<'a> {
    file: PathBuf,
    modules: Vec<String>,
    found: &'a mut Vec<FutureFn>,
}

impl Collector<'_> {
    fn items(&mut self, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Fn(function) if returns_future(&function.sig) => {
                    let probe = free_probe(&function.sig);
                    self.push(
                        &function.sig,
                        &function.block,
                        None,
                        probe,
                        item.span().end(),
                    );
                }
                syn::Item::Impl(block) => self.impl_block(block),
                syn::Item::Mod(module) => {
                    if let Some((_, items)) = &module.content {
                        self.modules.push(module.ident.to_string());
                        self.items(items);
                        self.modules.pop();
                    }
                }
                _ => {}
            }
        }
    }

    fn impl_block(&mut self, block: &syn::ItemImpl) {
        let self_ty = &block.self_ty;
        let type_name = last_segment(self_ty).unwrap_or_default();
        for item in &block.items {
            let syn::ImplItem::Fn(method) = item else {
                continue;
            };
            if !returns_future(&method.sig) {
                continue;
            }
            let probe = method_probe(block, &method.sig);
            self.push(
                &method.sig,
                &method.block,
                Some(&type_name),
                probe,
                block.span().end(),
            );
        }
    }

    fn push(
        &mut self,
        sig: &syn::Signature,
        body: &syn::Block,
        owner: Option<&str>,
        probe: Option<ProbeParts>,
        insert_at: LineColumn,
    ) {
        let mut awaits = AwaitedCalls::default();
        awaits.visit_block(body);
        let name = sig.ident.to_string();
        self.found.push(FutureFn {
            file: self.file.clone(),
            display: owner.map_or(name.clone(), |o| format!("{o}::{name}")),
            name,
            modules: self.modules.clone(),
            line: sig.fn_token.span.start().line,
            name_column: sig.ident.span().start().column + 1,
            awaits: awaits.names.into_iter().collect(),
            probe,
            insert_at,
        });
    }
}

fn returns_future(sig: &syn::Signature) -> bool {
    if sig.asyncness.is_some() {
        return true;
    }
    match &sig.output {
        syn::ReturnType::Type(_, ty) => match ty.as_ref() {
            syn::Type::ImplTrait(bounds) => bounds.bounds.iter().any(|b| {
                matches!(b, syn::TypeParamBound::Trait(t)
                    if t.path.segments.last().is_some_and(|s| s.ident == "Future"))
            }),
            _ => false,
        },
        syn::ReturnType::Default => false,
    }
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => last_segment(&r.elem),
        _ => None,
    }
}

/// The names of what a body awaits: `save` in `mm.save(note).await?`, `create` in
/// `NoteBmc::create(&ctx, …).await`.
#[derive(Default)]
struct AwaitedCalls {
    names: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for AwaitedCalls {
    fn visit_expr_await(&mut self, expr: &'ast syn::ExprAwait) {
        match expr.base.as_ref() {
            syn::Expr::MethodCall(call) => {
                self.names.insert(call.method.to_string());
            }
            syn::Expr::Call(call) => {
                if let syn::Expr::Path(path) = call.func.as_ref()
                    && let Some(last) = path.path.segments.last()
                {
                    self.names.insert(last.ident.to_string());
                }
            }
            _ => {}
        }
        syn::visit::visit_expr_await(self, expr);
    }

    // A nested function's awaits are its own.
    fn visit_item_fn(&mut self, _: &'ast syn::ItemFn) {}
}

/// The names of the functions an expression awaits (a spawned block, say), as for a body.
pub fn awaited_in(expression: &str) -> Vec<String> {
    let Ok(expr) = syn::parse_str::<syn::Expr>(expression) else {
        return Vec::new();
    };
    let mut awaits = AwaitedCalls::default();
    awaits.visit_expr(&expr);
    awaits.names.into_iter().collect()
}

fn tokens(node: &impl quote::ToTokens) -> String {
    node.to_token_stream().to_string()
}

/// The generic parameters of a signature as they would be written at a call:
/// `::<S, T>`, or nothing when they can be inferred or may not be named.
fn turbofish(generics: &syn::Generics, sig: &syn::Signature) -> String {
    let impl_trait_argument = sig.inputs.iter().any(|input| match input {
        syn::FnArg::Typed(typed) => tokens(&typed.ty).contains("impl "),
        syn::FnArg::Receiver(_) => false,
    });
    let named: Vec<String> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            syn::GenericParam::Const(c) => Some(c.ident.to_string()),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    if named.is_empty() || impl_trait_argument {
        String::new()
    } else {
        format!("::<{}>", named.join(", "))
    }
}

fn params_of(generics: &syn::Generics) -> Vec<String> {
    generics.params.iter().map(tokens).collect()
}

/// The where clause of a probe: the function's own predicates, and that each type
/// parameter is `Send + Sync`. A probe asks whether the future is `Send` whenever what it is
/// generic over can cross threads (as a caller's concrete types can), not for every `T`.
fn where_of(generics: &[&syn::Generics]) -> String {
    let mut predicates: Vec<String> = generics
        .iter()
        .filter_map(|g| g.where_clause.as_ref())
        .flat_map(|w| w.predicates.iter().map(tokens))
        .collect();
    for generics in generics {
        for param in generics.type_params() {
            predicates.push(format!(
                "{}: ::core::marker::Send + ::core::marker::Sync",
                param.ident
            ));
        }
    }
    if predicates.is_empty() {
        String::new()
    } else {
        format!("where {}", predicates.join(", "))
    }
}

fn generics_text(params: Vec<String>) -> String {
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

fn free_probe(sig: &syn::Signature) -> Option<ProbeParts> {
    if sig.constness.is_some() || sig.abi.is_some() || sig.variadic.is_some() {
        return None;
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        let syn::FnArg::Typed(typed) = input else {
            return None;
        };
        params.push(tokens(&typed.ty));
    }
    Some(ProbeParts {
        generics: generics_text(params_of(&sig.generics)),
        params,
        where_clause: where_of(&[&sig.generics]),
        call: format!("{}{}", sig.ident, turbofish(&sig.generics, sig)),
        unsafe_call: sig.unsafety.is_some(),
    })
}

/// Replaces `Self` in a type with the implementing type; `None` for `Self::Assoc`, which a
/// free function cannot name without the trait.
struct ReplaceSelf<'a> {
    with: &'a syn::Type,
    unnameable: bool,
}

impl VisitMut for ReplaceSelf<'_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(path) = ty
            && path.qself.is_none()
            && path
                .path
                .segments
                .first()
                .is_some_and(|s| s.ident == "Self")
        {
            if path.path.segments.len() == 1 {
                *ty = self.with.clone();
            } else {
                self.unnameable = true;
            }
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

fn method_probe(block: &syn::ItemImpl, sig: &syn::Signature) -> Option<ProbeParts> {
    if sig.constness.is_some() || sig.abi.is_some() || sig.variadic.is_some() {
        return None;
    }
    let self_ty = block.self_ty.as_ref();
    let mut params = Vec::new();
    for input in &sig.inputs {
        let mut ty: syn::Type = match input {
            syn::FnArg::Receiver(receiver) => receiver.ty.as_ref().clone(),
            syn::FnArg::Typed(typed) => typed.ty.as_ref().clone(),
        };
        let mut replace = ReplaceSelf {
            with: self_ty,
            unnameable: false,
        };
        replace.visit_type_mut(&mut ty);
        if replace.unnameable {
            return None;
        }
        params.push(tokens(&ty));
    }
    let path = match &block.trait_ {
        Some((None, trait_path, _)) => {
            format!("<{} as {}>", tokens(self_ty), tokens(trait_path))
        }
        Some((Some(_), _, _)) => return None,
        None => format!("<{}>", tokens(self_ty)),
    };
    let mut generic_params = params_of(&block.generics);
    generic_params.extend(params_of(&sig.generics));
    Some(ProbeParts {
        generics: generics_text(generic_params),
        params,
        where_clause: where_of(&[&block.generics, &sig.generics]),
        call: format!("{path}::{}{}", sig.ident, turbofish(&sig.generics, sig)),
        unsafe_call: sig.unsafety.is_some() || block.unsafety.is_some(),
    })
}

impl FutureFn {
    /// Whether a name the compiler printed (`books::create`, `create`,
    /// `handlers::books::create`, `NoteBmc::create`) can be this function.
    pub fn answers_to(&self, path: &[String]) -> bool {
        let Some((last, qualifiers)) = path.split_last() else {
            return false;
        };
        if *last != self.name {
            return false;
        }
        // The qualifier next to the name is its module or its type; those before it are
        // its outer modules, in order, but for a first one that names a crate.
        let qualifiers: Vec<&str> = qualifiers
            .iter()
            .map(String::as_str)
            .filter(|q| !matches!(*q, "crate" | "self" | "super" | "Self"))
            .collect();
        let Some((nearest, outer)) = qualifiers.split_last() else {
            return true;
        };
        let owner = self.display.rsplit_once("::").map(|(o, _)| o);
        let (modules, nearest_ok) = if owner == Some(*nearest) {
            (&self.modules[..], true)
        } else {
            match self.modules.split_last() {
                Some((last, rest)) if last == nearest => (rest, true),
                _ => (&self.modules[..], false),
            }
        };
        if !nearest_ok {
            return false;
        }
        let mut position = 0;
        for (index, qualifier) in outer.iter().enumerate() {
            match modules[position..].iter().position(|m| m == qualifier) {
                Some(found) => position += found + 1,
                None if index == 0 => {}
                None => return false,
            }
        }
        true
    }

    /// Whether a line of the file lies in this function (from its `fn` to its end).
    pub fn contains_line(&self, file: &Path, line: usize) -> bool {
        self.file == file && line >= self.line && line <= self.insert_at.line
    }

    pub fn can_probe(&self) -> bool {
        self.probe.is_some()
    }

    fn probe_text(&self, id: usize) -> Option<String> {
        let parts = self.probe.as_ref()?;
        let names: Vec<String> = (0..parts.params.len()).map(|i| format!("p{i}")).collect();
        let params: Vec<String> = names
            .iter()
            .zip(&parts.params)
            .map(|(n, t)| format!("{n}: {t}"))
            .collect();
        let call = format!("{}({})", parts.call, names.join(", "));
        let call = if parts.unsafe_call {
            format!("unsafe {{ {call} }}")
        } else {
            call
        };
        Some(format!(
            " #[allow(warnings, clippy::all, clippy::pedantic)] fn {PROBE_PREFIX}{id}{}({}) {} {{ \
             fn must_be_send<F: ::core::marker::Send>(_: &F) {{}} let future = {call}; \
             must_be_send(&future); }}",
            parts.generics,
            params.join(", "),
            parts.where_clause,
        ))
    }
}

/// Where a probe went in the copy: the line and the columns (1-based, as the compiler
/// counts them) its text spans.
#[derive(Debug, Clone)]
pub struct Placed {
    pub file: PathBuf,
    pub line: usize,
    pub columns: std::ops::Range<usize>,
    /// The function it asks about.
    pub target: FutureFn,
}

/// Writes a probe for each of `targets` into the copy at `root`. Returns where each went.
pub fn write_probes(root: &Path, targets: &[FutureFn]) -> anyhow::Result<Vec<Placed>> {
    use anyhow::Context;
    let mut by_file: BTreeMap<&Path, Vec<&FutureFn>> = BTreeMap::new();
    for target in targets {
        by_file.entry(&target.file).or_default().push(target);
    }
    let mut placed = Vec::new();
    for (file, targets) in by_file {
        let path = root.join(file);
        let source = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let (text, here) = with_probes(&source, &targets, placed.len());
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        placed.extend(here);
    }
    Ok(placed)
}

/// `source` with a probe after each of `targets` (all of that file), numbered from
/// `first_id`, and where each went.
pub fn with_probes(source: &str, targets: &[&FutureFn], first_id: usize) -> (String, Vec<Placed>) {
    let mut lines: Vec<String> = source.lines().map(str::to_owned).collect();
    let mut placed = Vec::new();
    for target in targets {
        let Some(text) = target.probe_text(first_id + placed.len()) else {
            continue;
        };
        let Some(line) = lines.get_mut(target.insert_at.line.saturating_sub(1)) else {
            continue;
        };
        // After what is already on the line (an earlier probe, or the item's end).
        let at = line.chars().count().max(target.insert_at.column);
        let start = at + 1;
        line.push_str(&text);
        placed.push(Placed {
            file: target.file.clone(),
            line: target.insert_at.line,
            columns: start..start + text.chars().count(),
            target: (*target).clone(),
        });
    }
    let mut text = lines.join("\n");
    text.push('\n');
    (text, placed)
}

/// The functions to probe: those `seeds` name, and what they await, by name, a few levels
/// down (a handler awaits a service method, which awaits a store's): one recheck then
/// answers for the whole chain, and the innermost failing probe names the value.
pub fn closure_of(
    all: &[FutureFn],
    seeds: &[FutureFn],
    depth: usize,
    most: usize,
) -> Vec<FutureFn> {
    let mut chosen: Vec<FutureFn> = Vec::new();
    let key = |f: &FutureFn| (f.file.clone(), f.line);
    let mut seen = BTreeSet::new();
    let mut frontier: Vec<FutureFn> = seeds.to_vec();
    for _ in 0..=depth {
        let mut next = Vec::new();
        for function in frontier {
            if chosen.len() >= most || !seen.insert(key(&function)) {
                continue;
            }
            for name in &function.awaits {
                next.extend(all.iter().filter(|f| &f.name == name).cloned());
            }
            chosen.push(function);
        }
        frontier = next;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(files: &[(&str, &str)]) -> Vec<FutureFn> {
        let dir = std::env::temp_dir().join(format!("probe-index-{}", std::process::id()));
        let mut paths = Vec::new();
        for (path, text) in files {
            let full = dir.join(path);
            std::fs::create_dir_all(full.parent().expect("a parent")).expect("folders");
            std::fs::write(&full, text).expect("written");
            paths.push(PathBuf::from(path));
        }
        let found = index(&dir, &paths);
        let _ = std::fs::remove_dir_all(&dir);
        found
    }

    #[test]
    fn functions_are_known_by_module_and_type() {
        let found = index_of(&[
            (
                "src/handlers/books.rs",
                "pub async fn create(s: State<App>) -> u32 {\n    s.db.insert(1).await\n}\n",
            ),
            (
                "crates/core/src/model/store.rs",
                "impl<T: Clone> Store<T> {\n    pub async fn insert(&self, x: u32) -> u32 { x }\n    pub fn plain(&self) {}\n}\n",
            ),
        ]);
        assert_eq!(found.len(), 2);
        let create = &found[0];
        assert_eq!(create.modules, ["handlers", "books"]);
        assert_eq!(create.awaits, ["insert"]);
        let path = |p: &str| p.split("::").map(str::to_owned).collect::<Vec<_>>();
        assert!(create.answers_to(&path("books::create")));
        assert!(create.answers_to(&path("crate::handlers::books::create")));
        assert!(create.answers_to(&path("create")));
        assert!(!create.answers_to(&path("users::create")));
        assert_eq!(found[1].display, "Store::insert");
        assert_eq!(found[1].modules, ["model", "store"]);
        assert!(found[1].answers_to(&path("Store::insert")));
    }

    #[test]
    fn probes_stay_on_the_line_where_the_item_ends() {
        let dir = std::env::temp_dir().join(format!("probe-write-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).expect("folders");
        let source = "impl<T: Clone> Store<T> {\n    pub async fn insert(&self, x: Self) -> u32 { 1 }\n}\n\nasync fn handler<S: Send>(a: State<S>) {}\n";
        std::fs::write(dir.join("src/lib.rs"), source).expect("written");
        let found = index(&dir, &[PathBuf::from("src/lib.rs")]);
        let placed = write_probes(&dir, &found).expect("probes written");
        let copy = std::fs::read_to_string(dir.join("src/lib.rs")).expect("read");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(copy.lines().count(), source.lines().count());
        let third = copy.lines().nth(2).expect("line 3");
        assert!(third.starts_with("} #[allow("), "{third}");
        assert!(
            third.contains(
                "fn __explain_send_probe_0<T : Clone>(p0: & Store < T >, p1: Store < T >)"
            ),
            "{third}"
        );
        assert!(third.contains("<Store < T >>::insert(p0, p1)"), "{third}");
        let fifth = copy.lines().nth(4).expect("line 5");
        assert!(fifth.contains("handler::<S>(p0)"), "{fifth}");
        assert_eq!(placed[0].line, 3);
        assert_eq!(&third[placed[0].columns.start - 1..][..8], " #[allow");
    }

    #[test]
    fn the_closure_follows_awaited_calls() {
        let found = index_of(&[(
            "src/a.rs",
            "async fn h() { svc().await }\nasync fn svc() { store().await }\nasync fn store() {}\nasync fn unrelated() {}\n",
        )]);
        let seeds: Vec<FutureFn> = found.iter().filter(|f| f.name == "h").cloned().collect();
        let chosen = closure_of(&found, &seeds, 4, 10);
        let names: Vec<&str> = chosen.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["h", "svc", "store"]);
    }
}
