//! What an exercise asks to keep while fixing it, checked in the learner's source.
//!
//! "Make it compile, keeping the generic worker": making the worker concrete compiles, and
//! its behaviour check may pass, but it skips the lesson. The manifest names each such
//! constraint ([`Constraint`]); this module reads the learner's file with `syn` and says
//! which one a fix breaks, and how.

use std::str::FromStr;

use syn::visit::Visit;

use crate::material::manifest::Constraint;

/// A constraint the learner's file does not keep, and what was found instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The constraint in the exercise's words.
    pub says: String,
    /// What the file does instead, in a sentence.
    pub found: String,
}

/// Every constraint of `keep` that `attempt` breaks; `pristine` is the exercise as shipped.
/// A file that does not parse breaks nothing here: the compiler reports it instead.
pub fn broken(keep: &[Constraint], attempt: &str, pristine: &str) -> Vec<Broken> {
    let Ok(file) = syn::parse_file(attempt) else {
        return Vec::new();
    };
    keep.iter()
        .filter_map(|constraint| {
            let found = check(constraint, &file, attempt, pristine)?;
            Some(Broken {
                says: constraint.says().to_owned(),
                found,
            })
        })
        .collect()
}

/// `None` if `constraint` holds; else what breaks it.
fn check(
    constraint: &Constraint,
    file: &syn::File,
    attempt: &str,
    pristine: &str,
) -> Option<String> {
    match constraint {
        Constraint::Generic {
            function, bound, ..
        } => {
            let mut finder = FunctionFinder {
                name: function,
                signatures: Vec::new(),
            };
            finder.visit_file(file);
            if finder.signatures.is_empty() {
                return Some(format!("there is no function `{function}` any more"));
            }
            let generic = finder
                .signatures
                .iter()
                .any(|signature| generic_over(signature, bound));
            (!generic).then(|| {
                format!("`{function}` is no longer generic over a type that implements `{bound}`")
            })
        }
        Constraint::Spawns { region, .. } => {
            let Some(text) = region_text(attempt, region) else {
                return Some(missing_region(region));
            };
            let spawns = syn::parse_file(text).is_ok_and(|part| {
                let mut finder = SpawnFinder { found: false };
                finder.visit_file(&part);
                finder.found
            });
            (!spawns).then(|| {
                format!(
                    "the part marked `{region}` no longer spawns a task (`tokio::spawn` or a \
                     `JoinSet`'s `spawn`): the work runs inside one task"
                )
            })
        }
        Constraint::Unchanged { region, .. } => {
            let Some(text) = region_text(attempt, region) else {
                return Some(missing_region(region));
            };
            let shipped = region_text(pristine, region)?;
            (tokens(text) != tokens(shipped)).then(|| {
                format!(
                    "the part marked `{region}` was changed (`cargo workshop reset` gives the \
                     file back as shipped, keeping yours in a backup)"
                )
            })
        }
        Constraint::Uses { path, .. } => {
            let mut finder = PathFinder {
                wanted: path.split("::").map(str::trim).collect(),
                found: false,
            };
            finder.visit_file(file);
            (!finder.found).then(|| format!("the file no longer uses `{path}`"))
        }
        Constraint::TraitObject { trait_name, .. } => {
            let mut finder = DynFinder {
                name: trait_name,
                found: false,
            };
            finder.visit_file(file);
            (!finder.found).then(|| format!("there is no `dyn {trait_name}` any more"))
        }
    }
}

fn missing_region(region: &str) -> String {
    format!(
        "the markers `// ANCHOR: {region}` and `// ANCHOR_END: {region}` are gone, so the \
         checker cannot find that part; put them back around it"
    )
}

/// The text between `// ANCHOR: name` and `// ANCHOR_END: name`.
pub fn region_text<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    let start_marker = format!("ANCHOR: {name}");
    let end_marker = format!("ANCHOR_END: {name}");
    let mut start = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let marker = line.trim().strip_prefix("//").map(str::trim);
        match (start, marker) {
            (None, Some(m)) if m == start_marker => start = Some(offset + line.len()),
            (Some(from), Some(m)) if m == end_marker => return Some(&source[from..offset]),
            _ => {}
        }
        offset += line.len();
    }
    None
}

/// The tokens of `text` (comments dropped), or the text itself if it does not lex.
fn tokens(text: &str) -> String {
    proc_macro2::TokenStream::from_str(text)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether `signature` has a type parameter, or an `impl …` argument, bounded by `bound`.
fn generic_over(signature: &syn::Signature, bound: &str) -> bool {
    let names_bound =
        |bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>| {
            bounds.iter().any(|b| {
                matches!(b, syn::TypeParamBound::Trait(t)
                if t.path.segments.last().is_some_and(|s| s.ident == bound))
            })
        };
    let params: Vec<&syn::TypeParam> = signature.generics.type_params().collect();
    if params.iter().any(|p| names_bound(&p.bounds)) {
        return true;
    }
    let in_where = signature.generics.where_clause.as_ref().is_some_and(|w| {
        w.predicates.iter().any(|predicate| match predicate {
            syn::WherePredicate::Type(t) => {
                let on_param = matches!(&t.bounded_ty, syn::Type::Path(p)
                    if params.iter().any(|param| p.path.is_ident(&param.ident)));
                on_param && names_bound(&t.bounds)
            }
            _ => false,
        })
    });
    if in_where {
        return true;
    }
    let mut impls = ImplTraitFinder {
        name: bound,
        found: false,
    };
    for input in &signature.inputs {
        impls.visit_fn_arg(input);
    }
    impls.found
}

struct FunctionFinder<'a> {
    name: &'a str,
    signatures: Vec<syn::Signature>,
}

impl<'ast> Visit<'ast> for FunctionFinder<'_> {
    fn visit_signature(&mut self, signature: &'ast syn::Signature) {
        if signature.ident == self.name {
            self.signatures.push(signature.clone());
        }
        syn::visit::visit_signature(self, signature);
    }
}

struct ImplTraitFinder<'a> {
    name: &'a str,
    found: bool,
}

impl<'ast> Visit<'ast> for ImplTraitFinder<'_> {
    fn visit_type_impl_trait(&mut self, ty: &'ast syn::TypeImplTrait) {
        self.found |= ty.bounds.iter().any(|b| {
            matches!(b, syn::TypeParamBound::Trait(t)
                if t.path.segments.last().is_some_and(|s| s.ident == self.name))
        });
        syn::visit::visit_type_impl_trait(self, ty);
    }
}

struct SpawnFinder {
    found: bool,
}

impl<'ast> Visit<'ast> for SpawnFinder {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func {
            self.found |= path
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "spawn");
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.found |= call.method == "spawn";
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// Finds a path, whether a `use` imports it (also through a group or a glob) or the code
/// names it in full.
struct PathFinder<'a> {
    wanted: Vec<&'a str>,
    found: bool,
}

impl PathFinder<'_> {
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => self.compare(prefix, Some(&name.ident), false),
            syn::UseTree::Rename(rename) => self.compare(prefix, Some(&rename.ident), false),
            syn::UseTree::Glob(_) => self.compare(prefix, None, true),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    fn compare(&mut self, prefix: &[String], last: Option<&syn::Ident>, glob: bool) {
        let mut path: Vec<String> = prefix.to_vec();
        path.extend(last.map(|ident| ident.to_string()));
        let path = path.iter().skip_while(|s| s.is_empty() || *s == "crate");
        let path: Vec<&str> = path.map(String::as_str).collect();
        self.found |= if glob {
            path.len() + 1 == self.wanted.len() && self.wanted.starts_with(&path)
        } else {
            // `std::sync::Mutex::new` names the item as much as `std::sync::Mutex` does.
            path.starts_with(&self.wanted)
        };
    }
}

impl<'ast> Visit<'ast> for PathFinder<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.compare(&segments, None, false);
        syn::visit::visit_path(self, path);
    }
}

struct DynFinder<'a> {
    name: &'a str,
    found: bool,
}

impl<'ast> Visit<'ast> for DynFinder<'_> {
    fn visit_type_trait_object(&mut self, ty: &'ast syn::TypeTraitObject) {
        self.found |= ty.bounds.iter().any(|b| {
            matches!(b, syn::TypeParamBound::Trait(t)
                if t.path.segments.last().is_some_and(|s| s.ident == self.name))
        });
        syn::visit::visit_type_trait_object(self, ty);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generic(function: &str, bound: &str) -> Constraint {
        Constraint::Generic {
            function: function.into(),
            bound: bound.into(),
            says: "keep it generic".into(),
        }
    }

    #[test]
    fn a_generic_is_kept_as_a_parameter_a_where_clause_or_an_impl_argument() {
        let keep = [generic("run", "Store")];
        for kept in [
            "fn run<S: Store>(s: S) {}",
            "fn run<S>(s: std::sync::Arc<S>) where S: Store + Send {}",
            "fn run(s: std::sync::Arc<impl Store + Send>) {}",
        ] {
            assert_eq!(broken(&keep, kept, ""), [], "{kept}");
        }
        let concrete = broken(&keep, "fn run(s: std::sync::Arc<Objects>) {}", "");
        assert_eq!(concrete.len(), 1);
        assert!(concrete[0].found.contains("no longer generic over"));
        assert_eq!(concrete[0].says, "keep it generic");
        let gone = broken(&keep, "fn other() {}", "");
        assert!(gone[0].found.contains("no function `run`"));
    }

    #[test]
    fn a_region_must_still_spawn() {
        let keep = [Constraint::Spawns {
            region: "walk".into(),
            says: "a task each".into(),
        }];
        let spawning =
            "// ANCHOR: walk\nasync fn w() { tokio::spawn(async {}); }\n// ANCHOR_END: walk\n";
        let joined = "// ANCHOR: walk\nasync fn w() { futures::future::join_all(v).await; }\n// ANCHOR_END: walk\n\
                      fn main() { tokio::spawn(async {}); }\n";
        let set = "// ANCHOR: walk\nasync fn w() { set.spawn(async {}); }\n// ANCHOR_END: walk\n";
        assert_eq!(broken(&keep, spawning, ""), []);
        assert_eq!(broken(&keep, set, ""), []);
        assert_eq!(broken(&keep, joined, "").len(), 1);
        assert!(
            broken(&keep, "async fn w() {}", "")[0]
                .found
                .contains("ANCHOR: walk")
        );
    }

    #[test]
    fn an_unchanged_region_ignores_comments_and_spacing() {
        let keep = [Constraint::Unchanged {
            region: "app".into(),
            says: "the fix belongs in the library".into(),
        }];
        let shipped = "mod lib {}\n// ANCHOR: app\nfn app() { run(1); }\n// ANCHOR_END: app\n";
        let respaced = "mod lib { }\n// ANCHOR: app\nfn app() {\n    // mine\n    run(1);\n}\n// ANCHOR_END: app\n";
        let changed =
            "mod lib {}\n// ANCHOR: app\nfn app() { run(AssertSend(1)); }\n// ANCHOR_END: app\n";
        assert_eq!(broken(&keep, respaced, shipped), []);
        assert_eq!(broken(&keep, changed, shipped).len(), 1);
    }

    #[test]
    fn a_used_path_may_be_imported_grouped_globbed_or_written_in_full() {
        let keep = [Constraint::Uses {
            path: "std::sync::Mutex".into(),
            says: "keep the std mutex".into(),
        }];
        for kept in [
            "use std::sync::Mutex;",
            "use std::sync::{Arc, Mutex as StdMutex};",
            "use std::{collections::HashMap, sync::{Arc, Mutex}};",
            "use std::sync::*;",
            "struct P { routes: std::sync::Mutex<u8> }",
            "fn f() { let m = std::sync::Mutex::new(1); }",
        ] {
            assert_eq!(broken(&keep, kept, ""), [], "{kept}");
        }
        for gone in [
            "use std::sync::Arc; use tokio::sync::Mutex;",
            "use std::*;",
            "struct P { routes: tokio::sync::Mutex<u8> }",
        ] {
            assert_eq!(broken(&keep, gone, "").len(), 1, "{gone}");
        }
    }

    #[test]
    fn a_trait_object_must_stay() {
        let keep = [Constraint::TraitObject {
            trait_name: "Notifier".into(),
            says: "keep the trait objects".into(),
        }];
        assert_eq!(
            broken(&keep, "struct S { n: Arc<dyn Notifier + Send + Sync> }", ""),
            []
        );
        assert_eq!(
            broken(&keep, "struct S<N: Notifier> { n: Arc<N> }", "").len(),
            1
        );
    }
}
