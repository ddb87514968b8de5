//! What kind of value a type is, and the fix and page for each kind and shape.

use crate::explain::{Kind, Shape};

/// The kind of a value from its type (as the compiler prints it) and, failing that, from
/// the innermost type that is not `Send`.
pub fn kind_of_type(value: Option<&str>, innermost: Option<&str>) -> Kind {
    for ty in [value, innermost].into_iter().flatten() {
        let kind = kind_of(ty);
        if kind != Kind::Other {
            return kind;
        }
    }
    Kind::Other
}

fn kind_of(ty: &str) -> Kind {
    // Order matters: a `ThreadRng` holds an `Rc`, a parking_lot guard is a `MutexGuard`, and
    // the outermost type decides (`Rc<RefCell<…>>` is an `Rc` first).
    let outer = ty.trim_start_matches('&').trim_start_matches("std::rc::");
    if ty.contains("ThreadRng") {
        Kind::ThreadRng
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
        || ty.contains("RefCell<")
    {
        Kind::RefcellBorrow
    } else if ty.contains("dyn") && ty.contains("Error") {
        Kind::DynError
    } else if ty.contains("Rc<") {
        Kind::Rc
    } else {
        Kind::Other
    }
}

/// One sentence: what to change.
pub fn fix_for(kind: Kind, shape: Shape) -> &'static str {
    match shape {
        Shape::NotStatic => {
            "The async block borrows a local variable, but the task may outlive the function: \
             make it an `async move` block (clone what you still need outside first)."
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
        Shape::Captured => match kind {
            Kind::Rc => {
                "An `Rc` is moved into the future: share with `Arc` instead (and `Mutex` or \
                 atomics instead of `RefCell` or `Cell`)."
            }
            _ => {
                "A value that is not `Send` is moved into the future: replace it with a \
                 thread-safe equivalent, or create it inside the task."
            }
        },
        Shape::HeldAcrossAwait => match kind {
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
            Kind::ThreadRng => {
                "Draw the random numbers before the `.await` and drop the generator (a block), \
                 or use a `Send` generator such as `StdRng::from_rng(&mut rand::rng())`."
            }
            Kind::DynError => {
                "Make the error type `Send`: `Box<dyn Error + Send + Sync>` (or `anyhow::Error`)."
            }
            Kind::Rc => "Use `Arc` instead of `Rc` for anything that lives across an `.await`.",
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
        Shape::Captured | Shape::HeldAcrossAwait => match kind {
            Kind::Rc | Kind::RefcellBorrow => "other/rc-refcell.md",
            Kind::ThreadRng => "other/thread-rng.md",
            Kind::DynError => "other/dyn-error.md",
            Kind::ParkingLotGuard => "beyond/parking-lot.md",
            Kind::StdRwlockGuard => "beyond/read-mostly.md",
            Kind::StdMutexGuard | Kind::Other | Kind::None => "fixes/scope.md",
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
        assert_eq!(kind("*mut u8"), Kind::Other);
    }
}
