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
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::StdMutexGuard,
        Kind::StdRwlockGuard,
        Kind::RefcellBorrow,
        Kind::Rc,
        Kind::ThreadRng,
        Kind::DynError,
        Kind::ParkingLotGuard,
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
            Kind::Other => "another value that is not `Send`, or a guard held too long",
            Kind::None => "no value: the problem is a borrow, not `Send`",
        }
    }
}

impl Shape {
    pub const ALL: [Shape; 7] = [
        Shape::HeldAcrossAwait,
        Shape::DroppedAfterBorrow,
        Shape::TemporaryInStatement,
        Shape::MatchScrutinee,
        Shape::IfLetScrutinee,
        Shape::Captured,
        Shape::NotStatic,
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
