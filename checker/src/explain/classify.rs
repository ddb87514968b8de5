//! What kind of value a type is, and the fix and page for each kind and shape.

use crate::explain::shape;
use crate::explain::{Kind, Shape};

/// What the compiler said about one value, for [`kind`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// The value's type (or the awaited future's, or the type refused at a bound).
    pub value_type: Option<&'a str>,
    /// The innermost type that lacks the trait.
    pub culprit: Option<&'a str>,
    /// The trait the culprit lacks (`Send` or `Sync`).
    pub missing: Option<&'a str>,
    /// The trait the future (or type) itself must have: `Send`, or `Sync` for "cannot be
    /// shared between threads safely".
    pub future_must_be: &'a str,
    /// The source of the file the value is in, to tell the reader's types from others'.
    pub source: Option<&'a str>,
    /// The types the compiler says the culprit sits in.
    pub within: &'a [String],
    /// The one that holds the culprit directly.
    pub container: Option<&'a str>,
    /// Whose type holds the culprit, when the project can tell.
    pub holder: Origin,
}

/// Whether a type is the reader's own or another crate's, as far as is known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    #[default]
    Unknown,
    Own,
    Foreign,
}

/// The kind of a value from its type (as the compiler prints it) and, failing that, from
/// the innermost type that is not `Send`.
pub fn kind_of_type(value: Option<&str>, innermost: Option<&str>) -> Kind {
    kind(&Facts {
        value_type: value,
        culprit: innermost,
        future_must_be: "Send",
        ..Facts::default()
    })
}

/// The kind of the value: the well-known types by name first, then what the culprit is,
/// which trait it lacks and whose types lead to it.
pub fn kind(facts: &Facts<'_>) -> Kind {
    let value = facts.value_type.unwrap_or_default();
    let culprit = facts.culprit.unwrap_or_default();
    if let Some(kind) = known(value) {
        return kind;
    }
    // A well-known type inside the reader's own (`struct Dice { rng: ThreadRng }`).
    for ty in facts.within.iter().map(String::as_str).chain([culprit]) {
        if let Some(kind @ (Kind::ThreadRng | Kind::TracingSpan)) = known(ty) {
            return kind;
        }
    }
    let source = facts.source.unwrap_or_default();
    let own_type = shape::defines_type(source, base_name(value));
    // Raw pointers in the reader's own types (another crate's are that crate's business).
    if is_raw_pointer(value) || is_raw_pointer(culprit) && own_type {
        return Kind::RawPointer;
    }
    if is_error_object(value) || is_error_object(culprit) {
        return Kind::DynError;
    }
    // `&T` is `Send` only if `T` is `Sync`: a reference (or a borrowing iterator) to a value
    // that is not `Sync`, in a future that must be `Send`. Owning the value, not borrowing
    // it, is the fix, whoever's type it is.
    let lacks_sync_only = facts.missing == Some("Sync") && facts.future_must_be == "Send";
    let is_reference =
        value.starts_with('&') && !value.starts_with("&mut") || value.contains("Iter<'");
    if lacks_sync_only && is_reference {
        return Kind::NotSyncRef;
    }
    if is_future_object(value) || is_future_object(culprit) || value.contains("BoxFuture") {
        return Kind::BoxedFuture;
    }
    // A trait object of the reader's own trait, whatever wraps it.
    if is_trait_object(culprit) && shape::defines_type(source, trait_name(culprit)) {
        return Kind::DynTrait;
    }
    // A trait object without `+ Send`, whoever's trait and whatever holds it: the fix is
    // in the type the reader writes (`Box<dyn Stream + Send>`), not in another crate.
    let bare_object = culprit.trim_start_matches('(').starts_with("dyn ");
    if bare_object && !is_error_object(culprit) && facts.missing == Some("Send") {
        return Kind::DynTrait;
    }
    // A reference (anywhere in the chain) to a value that is not `Sync`.
    if facts.missing == Some("Sync") && facts.within.iter().any(|t| t.starts_with('&')) {
        return Kind::NotSyncRef;
    }
    // An `Rc` that no other type holds but as a type argument (a router's state, axum's
    // `State<Rc<…>>`): the reader chose it, and `Arc` is the fix, whatever it points to and
    // wherever the bound that refuses it is defined. An `Rc` in a field of another crate's
    // type (which the compiler names without it) is that crate's.
    let is_rc = |t: &str| t.trim_start_matches("std::rc::").starts_with("Rc<");
    // The futures on the way (a handler's, an `async` block's) hold it as written.
    let is_future = |t: &str| t.contains("Future<") || t.starts_with("{async");
    let shows_culprit = |t: &str| is_rc(t) || t.contains(culprit) || is_future(t);
    if is_rc(culprit)
        && facts.container.is_none_or(shows_culprit)
        && facts.within.iter().all(|t| shows_culprit(t))
        && (value.is_empty() || shows_culprit(value))
    {
        return Kind::Rc;
    }
    // A type of another crate is what the reader has to work around, whatever it holds: the
    // value's own type, or one the compiler says the culprit sits in.
    // The containers between them (a `HashMap`, tokio's `RwLock`) are only wrappers: what
    // counts is the type that holds the culprit directly, and the culprit itself.
    let foreign_container = facts.container.is_some_and(|c| {
        !shape::defines_type(source, base_name(c))
            && (!shape::foreign_paths(source, c).is_empty() || shape::crate_of(source, c).is_some())
    });
    let foreign = match facts.holder {
        Origin::Own => false,
        Origin::Foreign => true,
        Origin::Unknown => {
            !own_type && shape::crate_of(source, value).is_some()
                || foreign_container
                || !shape::foreign_paths(source, culprit).is_empty()
        }
    };
    if foreign {
        return Kind::Foreign;
    }
    // The outermost type decides: an `Rc` of anything is never `Send`.
    if is_rc(culprit) {
        return Kind::Rc;
    }
    if is_trait_object(value) || is_trait_object(culprit) {
        return Kind::DynTrait;
    }
    // An `Arc` (or any sharing) of a struct that is not `Sync`.
    if lacks_sync_only {
        return Kind::NotSyncRef;
    }
    if let Some(kind) = known(culprit) {
        return kind;
    }
    if culprit.contains("Rc<") || value.contains("Rc<") {
        return Kind::Rc;
    }
    if is_raw_pointer(culprit) {
        return Kind::RawPointer;
    }
    Kind::Other
}

/// `dyn Future<…>`, `dyn futures::Future<…>`, `dyn core::future::Future<…> + Send`.
pub fn is_future_object(ty: &str) -> bool {
    ty.match_indices("dyn ").any(|(at, _)| {
        let path = ty[at + 4..].split('<').next().unwrap_or_default();
        path.rsplit("::").next() == Some("Future")
    })
}

/// The kinds a type's name gives away. Order matters: a `ThreadRng` holds an `Rc`, a
/// parking_lot guard is a `MutexGuard`, and the outermost type decides (`Rc<RefCell<…>>` is
/// an `Rc` first).
fn known(ty: &str) -> Option<Kind> {
    let outer = ty.trim_start_matches('&').trim_start_matches("std::rc::");
    Some(if ty.contains("ThreadRng") {
        Kind::ThreadRng
    } else if ty.contains("ReseedingRng") {
        // What a `ThreadRng` holds: the culprit of a struct that keeps one.
        Kind::ThreadRng
    } else if ty.contains("EnteredSpan") {
        Kind::TracingSpan
    } else if outer.starts_with("Rc<") {
        Kind::Rc
    } else if ty.contains("lock_api") || ty.contains("parking_lot") {
        Kind::ParkingLotGuard
    } else if ty.contains("RwLockReadGuard") || ty.contains("RwLockWriteGuard") {
        Kind::StdRwlockGuard
    } else if ty.contains("MutexGuard") && !ty.contains("tokio") {
        Kind::StdMutexGuard
    } else if ty.contains("RefMut<")
        || ty.contains("cell::Ref<")
        || ty.starts_with("Ref<")
        || ty.starts_with("RefCell<")
        || ty.starts_with("&RefCell<")
    {
        Kind::RefcellBorrow
    } else {
        return None;
    })
}

fn is_trait_object(ty: &str) -> bool {
    ty.contains("dyn ")
}

fn is_error_object(ty: &str) -> bool {
    [
        "dyn Error",
        "dyn StdError",
        "dyn std::error::Error",
        "dyn core::error::Error",
    ]
    .iter()
    .any(|e| ty.contains(e))
}

fn is_raw_pointer(ty: &str) -> bool {
    ty.starts_with("*mut ") || ty.starts_with("*const ") || ty.contains("NonNull<")
}

/// `Chunker` in `dyn Chunker`, `(dyn crate::Chunker + Send + 'static)`.
fn trait_name(ty: &str) -> &str {
    let after = ty.split_once("dyn ").map_or(ty, |(_, rest)| rest);
    let path = after.split(['<', ' ', '+', ')']).next().unwrap_or(after);
    path.rsplit("::").next().unwrap_or(path)
}

/// `Foo` in `&mut foo::Foo<'_, T>`.
fn base_name(ty: &str) -> &str {
    let ty = ty.trim_start_matches('&').trim_start_matches("mut ").trim();
    let ty = ty.split('<').next().unwrap_or(ty);
    ty.rsplit("::").next().unwrap_or(ty).trim()
}

/// The crate a call's function comes from, when it is not the reader's own code nor std:
/// `page.render()`'s future comes from wherever `render` is defined, which the file cannot
/// say; `client::fetch(…)` names its path.
pub fn crate_of_call(source: Option<&str>, call: Option<&str>) -> Option<String> {
    let (source, call) = (source?, call?);
    let path = call.split('(').next()?.trim();
    if !path.contains("::") {
        return None;
    }
    shape::crate_of(source, path)
}

/// One sentence: what to change.
pub fn fix_for(kind: Kind, shape: Shape) -> &'static str {
    match shape {
        Shape::NotStatic => {
            "The task borrows something that lives only as long as the function (a local, or a \
             reference it was given), but a spawned task may outlive it: give the task owned \
             data, with an `async move` block and clones (or an `Arc`) of what it needs."
        }
        Shape::DroppedAfterBorrow => {
            "`drop()` does not end the value's life for the compiler once it was borrowed: \
             put the code that needs it in a block `{ … }` that ends before the `.await`, or \
             use it in a single statement."
        }
        Shape::TemporaryInStatement => {
            "The value is a temporary of the statement that contains the `.await`, so it lives \
             until that statement ends: compute what you need in an earlier `let` statement, \
             then await. If what you await is itself a method of the locked value, the lock \
             must be held while waiting: use `tokio::sync::Mutex`."
        }
        Shape::MatchScrutinee => {
            "Temporaries in a `match` (or `while let`) scrutinee live until the end of the whole \
             `match` or loop body: copy what you need out in a `let` before it (inside a loop, \
             a helper function that returns owned data works well)."
        }
        Shape::IfLetScrutinee => {
            "In edition 2021, temporaries in an `if let` scrutinee live through the `else` \
             block too: bind the value in a `let` first, or move the crate to edition 2024."
        }
        Shape::NotGeneralEnough => {
            "The compiler could not prove `Send` for every lifetime of a borrow inside the \
             future (a known limitation): give the future owned data (iterate over owned or \
             cloned values, `async move` with clones), move the body into a named `async fn` \
             that takes owned arguments, or box the stream or future inside it (`.boxed()`); \
             boxing the whole future where it is spawned does not help."
        }
        Shape::Recursive => {
            "The future's `Send` depends on itself: break the cycle by giving one function an \
             explicit boxed return type, `Pin<Box<dyn Future<Output = T> + Send>>` (write \
             `Box::pin` around an `async` block), so the compiler can check `Send` without first \
             knowing the whole type."
        }
        Shape::SyncRequired => {
            "A bound asks for a future that is `Sync` as well as `Send`, and futures rarely are: \
             drop the `Sync` bound where you can (a future is polled by one thread at a time), \
             or wrap the future in `sync_wrapper::SyncFuture`."
        }
        Shape::RequiredByBound => match kind {
            Kind::DynTrait => {
                "No future is involved: the bound asks for a type that can cross threads, and a \
                 trait object has only the traits it names: write `dyn Trait + Send + Sync`, or \
                 make `Send + Sync` supertraits of the trait."
            }
            Kind::Foreign => {
                "No future is involved: the bound asks for a type that can cross threads, and \
                 another crate's type cannot be made one: keep it out of what crosses (make it \
                 on the thread that uses it), or put it behind a `Mutex` when only `Sync` is \
                 missing."
            }
            _ => {
                "No future is involved: the bound asks for a type that can cross threads. \
                 Change the part of it that cannot: `Rc` → `Arc`, `Cell` → an atomic, `RefCell` \
                 → `Mutex`, `dyn Trait` → `dyn Trait + Send + Sync`."
            }
        },
        Shape::UnnamedValue => {
            "The compiler stopped at a trait and names no value: follow the function's \
             `.await`s (and the futures it awaits) to a value that is not `Send` alive across one \
             of them, or add the `Send` probe of \"Finding the culprit\" after the function to \
             make the compiler name it."
        }
        Shape::AwaitsNonSendFuture => match kind {
            Kind::TraitFuture => {
                "The trait does not promise that its method's future is `Send`: declare the \
                 method as `fn m(&self) -> impl Future<Output = T> + Send` (or use \
                 `#[trait_variant::make(Send)]`, or `#[async_trait]`), so every implementation \
                 must return a `Send` future."
            }
            Kind::BoxedFuture => {
                "The awaited future is boxed without `+ Send`: return \
                 `Pin<Box<dyn Future<Output = T> + Send>>` (futures' `BoxFuture`), or \
                 `#[async_trait]` without `?Send`."
            }
            _ => {
                "The future you await is not `Send` itself: follow it to the value inside it \
                 that is alive across one of its own `.await`s, and fix that one."
            }
        },
        Shape::Captured | Shape::HeldAcrossAwait => match kind {
            Kind::StdMutexGuard | Kind::StdRwlockGuard | Kind::ParkingLotGuard => {
                "End the guard's life before the `.await`: a block `{ … }` around the code that \
                 needs the lock, or one statement. If the lock really must be held while \
                 waiting, use `tokio::sync::Mutex`; if the work under it blocks, use \
                 `spawn_blocking`."
            }
            Kind::RefcellBorrow => {
                "End the borrow before the `.await` (a block, or copy the value out); in shared \
                 state that crosses threads use a `Mutex` instead of a `RefCell`."
            }
            Kind::Rc if shape == Shape::Captured => {
                "An `Rc` is moved into the future: share with `Arc` instead (and `Mutex` or \
                 atomics instead of `RefCell` or `Cell`)."
            }
            Kind::Rc => "Use `Arc` instead of `Rc` for anything that lives across an `.await`.",
            Kind::ThreadRng => {
                "Draw the random numbers before the `.await` and drop the generator (a block), \
                 or use a `Send` generator such as `SmallRng::from_rng(&mut rand::rng())`."
            }
            Kind::DynError => {
                "Make the error type `Send`: `Box<dyn Error + Send + Sync>` (or `anyhow::Error`)."
            }
            Kind::TracingSpan => {
                "Do not keep an entered span across an `.await`: attach the span to the future \
                 with `.instrument(span)` (or `#[tracing::instrument]`), and enter it only around \
                 synchronous code."
            }
            Kind::NotSyncRef => {
                "A `&T` is `Send` only if `T` is `Sync`: own the value in the task instead of \
                 borrowing it, replace the `Cell`/`RefCell` inside with an atomic or a `Mutex`, \
                 or add `+ Sync` to the trait object or bound; for a connection, use one per \
                 task or do the work in `spawn_blocking`."
            }
            Kind::DynTrait => {
                "A trait object has only the traits its type names: write `Box<dyn Trait + Send \
                 + Sync>` (or `Arc<dyn Trait + Send + Sync>`), or make `Send + Sync` \
                 supertraits of the trait."
            }
            Kind::BoxedFuture => {
                "The boxed future does not promise `Send`: use `Pin<Box<dyn Future<Output = T> \
                 + Send>>` (futures' `BoxFuture`), or `#[async_trait]` without `?Send`."
            }
            Kind::TraitFuture => {
                "The trait does not promise that its method's future is `Send`: declare the \
                 method as `fn m(&self) -> impl Future<Output = T> + Send` (or use \
                 `#[trait_variant::make(Send)]`)."
            }
            Kind::Foreign => {
                "You cannot make another crate's type `Send`: finish with it between two \
                 `.await`s (in a block or a helper that returns owned data), run the work that \
                 needs it in `spawn_blocking` or on a thread of its own behind a channel, or \
                 keep the task on one thread with `LocalSet` and `spawn_local`."
            }
            Kind::RawPointer => {
                "A raw pointer makes your type `!Send`: keep it out of the future (a block), or, \
                 only if the pointer really may move between threads, wrap it in a type with an \
                 `unsafe impl Send` whose safety you can argue."
            }
            Kind::Other | Kind::None => {
                "End the value's life before the `.await` (a block), or replace it with a type \
                 that is `Send`."
            }
        },
    }
}

/// The book page that explains a diagnosis, relative to `src/`.
pub fn page_for(kind: Kind, shape: Shape) -> &'static str {
    match shape {
        Shape::NotStatic => "traps/static-is-not-send.md",
        Shape::DroppedAfterBorrow => "fixes/drop.md",
        Shape::TemporaryInStatement | Shape::MatchScrutinee => "traps/temporaries.md",
        Shape::IfLetScrutinee => "traps/edition-2024.md",
        Shape::NotGeneralEnough => "culprits/not-general-enough.md",
        Shape::Recursive => "culprits/recursion.md",
        Shape::SyncRequired => "culprits/sync-futures.md",
        Shape::UnnamedValue => "culprits/finding.md",
        Shape::RequiredByBound => match kind {
            Kind::DynTrait => "culprits/trait-objects.md",
            Kind::Foreign => "culprits/foreign-types.md",
            _ => "other/rc-in-state.md",
        },
        Shape::AwaitsNonSendFuture | Shape::Captured | Shape::HeldAcrossAwait => match kind {
            Kind::Rc | Kind::RefcellBorrow => "other/rc-refcell.md",
            Kind::ThreadRng => "other/thread-rng.md",
            Kind::DynError => "other/dyn-error.md",
            Kind::ParkingLotGuard => "beyond/parking-lot.md",
            Kind::StdRwlockGuard => "beyond/read-mostly.md",
            Kind::TracingSpan => "other/tracing-spans.md",
            Kind::RawPointer => "other/raw-pointers.md",
            Kind::NotSyncRef => "culprits/not-sync-refs.md",
            Kind::DynTrait => "culprits/trait-objects.md",
            Kind::BoxedFuture => "culprits/boxed-futures.md",
            Kind::TraitFuture => "culprits/async-traits.md",
            Kind::Foreign => "culprits/foreign-types.md",
            Kind::StdMutexGuard | Kind::None => "fixes/scope.md",
            Kind::Other if shape == Shape::AwaitsNonSendFuture => "culprits/finding.md",
            Kind::Other => "fixes/scope.md",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_become_kinds() {
        let kind = |ty| kind_of_type(Some(ty), None);
        assert_eq!(kind("std::sync::MutexGuard<'_, u64>"), Kind::StdMutexGuard);
        assert_eq!(
            kind("std::sync::RwLockReadGuard<'_, Routes>"),
            Kind::StdRwlockGuard
        );
        assert_eq!(
            kind("lock_api::mutex::MutexGuard<'_, parking_lot::RawMutex, u64>"),
            Kind::ParkingLotGuard
        );
        assert_eq!(kind("RefMut<'_, Vec<u8>>"), Kind::RefcellBorrow);
        assert_eq!(kind("RefCell<Vec<u8>>"), Kind::RefcellBorrow);
        assert_eq!(kind("ThreadRng"), Kind::ThreadRng);
        assert_eq!(kind("Box<dyn std::error::Error>"), Kind::DynError);
        assert_eq!(kind("Rc<String>"), Kind::Rc);
        assert_eq!(kind("Rc<RefCell<u32>>"), Kind::Rc);
        assert_eq!(kind("std::rc::Rc<std::cell::RefCell<u32>>"), Kind::Rc);
        assert_eq!(kind("*mut u8"), Kind::RawPointer);
        assert_eq!(kind("EnteredSpan"), Kind::TracingSpan);
        assert_eq!(kind("Box<dyn Notifier>"), Kind::DynTrait);
        assert_eq!(
            kind("Pin<Box<dyn Future<Output = u32>>>"),
            Kind::BoxedFuture
        );
    }

    #[test]
    fn what_is_missing_and_where_types_come_from_decide_the_rest() {
        let facts = |value, culprit, missing, source| Facts {
            value_type: Some(value),
            culprit: Some(culprit),
            missing: Some(missing),
            future_must_be: "Send",
            source: Some(source),
            within: &[],
            container: None,
            holder: Origin::Unknown,
        };
        // `&self` of a type with a `Cell`, and a borrowing iterator over `dyn Rule + Send`.
        assert_eq!(
            kind(&facts("&Warmer", "Cell<u64>", "Sync", "")),
            Kind::NotSyncRef
        );
        assert_eq!(
            kind(&facts(
                "std::slice::Iter<'_, Box<dyn Rule + Send>>",
                "dyn Rule + Send",
                "Sync",
                ""
            )),
            Kind::NotSyncRef
        );
        // An `Arc` of a trait object needs the object to be `Send` and `Sync`.
        assert_eq!(
            kind(&facts(
                "Arc<(dyn Notifier + 'static)>",
                "(dyn Notifier + 'static)",
                "Sync",
                ""
            )),
            Kind::DynTrait
        );
        // A type imported from another crate, and one the file defines itself.
        let foreign = "use scraper::Html;\nfn main() {}\n";
        assert_eq!(
            kind(&facts("Html", "Cell<usize>", "Send", foreign)),
            Kind::Foreign
        );
        let own = "struct Handle { raw: *mut u8 }\n";
        assert_eq!(
            kind(&facts("Handle", "*mut u8", "Send", own)),
            Kind::RawPointer
        );
    }
}
