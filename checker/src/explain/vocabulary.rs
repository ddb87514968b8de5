//! The words the manifest's `diagnosis`, `explain` and `explain --json` share: what a value
//! that spoils a future is (its [`Kind`]) and how it comes to be held (its [`Shape`]). The
//! book's appendix "Kinds and shapes" is generated from these tables.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What the value that spoils the future is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    StdMutexGuard,
    StdRwlockGuard,
    RefcellBorrow,
    Rc,
    ThreadRng,
    DynError,
    ParkingLotGuard,
    TracingSpan,
    NotSyncRef,
    DynTrait,
    BoxedFuture,
    TraitFuture,
    Foreign,
    RawPointer,
    Other,
    None,
}

/// How that value comes to be held where it hurts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    HeldAcrossAwait,
    DroppedAfterBorrow,
    TemporaryInStatement,
    MatchScrutinee,
    IfLetScrutinee,
    Captured,
    NotStatic,
    AwaitsNonSendFuture,
    NotGeneralEnough,
    Recursive,
    SyncRequired,
    RequiredByBound,
    UnnamedValue,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::StdMutexGuard,
        Kind::StdRwlockGuard,
        Kind::RefcellBorrow,
        Kind::Rc,
        Kind::ThreadRng,
        Kind::DynError,
        Kind::ParkingLotGuard,
        Kind::TracingSpan,
        Kind::NotSyncRef,
        Kind::DynTrait,
        Kind::BoxedFuture,
        Kind::TraitFuture,
        Kind::Foreign,
        Kind::RawPointer,
        Kind::Other,
        Kind::None,
    ];

    /// What values of this kind are, in a few words.
    pub fn meaning(self) -> &'static str {
        match self {
            Kind::StdMutexGuard => "a `std::sync::MutexGuard`",
            Kind::StdRwlockGuard => "a `std::sync::RwLockReadGuard` or `RwLockWriteGuard`",
            Kind::RefcellBorrow => "a `Ref` or `RefMut` from a `RefCell`",
            Kind::Rc => "an `Rc`, or a value that contains one",
            Kind::ThreadRng => "rand's thread-local generator, `ThreadRng`",
            Kind::DynError => "a `Box<dyn Error>` without `+ Send`",
            Kind::ParkingLotGuard => "a parking_lot guard (without its `send_guard` feature)",
            Kind::TracingSpan => "tracing's entered-span guard, `EnteredSpan`",
            Kind::NotSyncRef => {
                "a shared reference `&T` (often `&self`) to a value that is not `Sync`"
            }
            Kind::DynTrait => {
                "a trait object without `+ Send` (`Box<dyn Trait>`, `Arc<dyn Trait>`, `dyn Any`), \
                 other than errors and futures"
            }
            Kind::BoxedFuture => {
                "a boxed future without `+ Send`: `Pin<Box<dyn Future>>`, `LocalBoxFuture`, \
                 `#[async_trait(?Send)]`"
            }
            Kind::TraitFuture => {
                "the future of an `async fn` in a trait, or an opaque future from generic code, \
                 not known to be `Send`"
            }
            Kind::Foreign => "a type from another crate that is not `Send`",
            Kind::RawPointer => "raw pointers or `NonNull` in your own types",
            Kind::Other => "another value that is not `Send`, or a guard held too long",
            Kind::None => "no value: the problem is a borrow, not `Send`",
        }
    }
}

impl Shape {
    pub const ALL: [Shape; 13] = [
        Shape::HeldAcrossAwait,
        Shape::DroppedAfterBorrow,
        Shape::TemporaryInStatement,
        Shape::MatchScrutinee,
        Shape::IfLetScrutinee,
        Shape::Captured,
        Shape::NotStatic,
        Shape::AwaitsNonSendFuture,
        Shape::NotGeneralEnough,
        Shape::Recursive,
        Shape::SyncRequired,
        Shape::RequiredByBound,
        Shape::UnnamedValue,
    ];

    /// How a value comes to be held, in a few words.
    pub fn meaning(self) -> &'static str {
        match self {
            Shape::HeldAcrossAwait => "a variable still in scope at the `.await`",
            Shape::DroppedAfterBorrow => {
                "a variable passed to `drop()` before the `.await`, after being borrowed"
            }
            Shape::TemporaryInStatement => {
                "a temporary in the statement that contains the `.await`"
            }
            Shape::MatchScrutinee => {
                "a temporary in a `match` scrutinee, with an `.await` in an arm"
            }
            Shape::IfLetScrutinee => {
                "a temporary in an `if let` scrutinee, with an `.await` in the `else` (edition 2021)"
            }
            Shape::Captured => "a value moved into the future (an `async move` block, a task)",
            Shape::NotStatic => "a local borrowed by a task that may outlive it (E0373)",
            Shape::AwaitsNonSendFuture => {
                "the future awaits another future that is not `Send` (the culprit is inside that one)"
            }
            Shape::NotGeneralEnough => {
                "a higher-ranked lifetime error: the compiler cannot prove `Send` for every lifetime"
            }
            Shape::Recursive => {
                "the future's `Send` depends on itself (recursion, a task that re-spawns)"
            }
            Shape::SyncRequired => "a bound demands that the future be `Sync`, not only `Send`",
            Shape::RequiredByBound => {
                "no future at all: a function or type requires a value to be `Send` or `Sync` \
                 (a router's state, a request extension, a thread's closure)"
            }
            Shape::UnnamedValue => {
                "a function's future is not `Send`, but the compiler names no value in it (it \
                 stopped at a trait such as axum's `Handler`)"
            }
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The same words as in the manifest and in `explain --json`.
        let text = serde_json::to_value(self).map_err(|_| fmt::Error)?;
        f.write_str(text.as_str().unwrap_or_default())
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_value(self).map_err(|_| fmt::Error)?;
        f.write_str(text.as_str().unwrap_or_default())
    }
}
