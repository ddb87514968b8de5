// Claim: each row of the table in "Send and Sync from first principles": which common types
// are `Send`, which are `Sync`, and that a type can opt out of both on stable Rust with a
// marker field. The compiler answers each question below; the program checks the answers
// against the table, so a wrong row fails the test suite.
//
// Book: "Send and Sync from first principles" (src/understanding/send-sync.md).

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// Whether the type implements `Send`, decided by the compiler. An inherent associated
/// constant is preferred over a trait's, but only where its `Send` bound holds; for any
/// other type the trait's default, `false`, is what remains.
macro_rules! is_send {
    ($t:ty) => {{
        struct Probe<T: ?Sized>(PhantomData<T>);
        #[allow(dead_code)] // one of the two constants is always unused
        trait Otherwise {
            const ANSWER: bool = false;
        }
        impl<T: ?Sized> Otherwise for Probe<T> {}
        #[allow(dead_code)]
        impl<T: ?Sized + Send> Probe<T> {
            const ANSWER: bool = true;
        }
        <Probe<$t>>::ANSWER
    }};
}

/// The same question for `Sync`.
macro_rules! is_sync {
    ($t:ty) => {{
        struct Probe<T: ?Sized>(PhantomData<T>);
        #[allow(dead_code)] // one of the two constants is always unused
        trait Otherwise {
            const ANSWER: bool = false;
        }
        impl<T: ?Sized> Otherwise for Probe<T> {}
        #[allow(dead_code)]
        impl<T: ?Sized + Sync> Probe<T> {
            const ANSWER: bool = true;
        }
        <Probe<$t>>::ANSWER
    }};
}

/// One row of the book's table: the type, and what the table says about it.
macro_rules! row {
    ($t:ty, send: $send:literal, sync: $sync:literal) => {
        assert_eq!(
            (is_send!($t), is_sync!($t)),
            ($send, $sync),
            "the row for `{}` is wrong",
            stringify!($t)
        );
    };
}

// ANCHOR: opt_out
/// Holds a raw handle that must stay on the thread that made it. The raw-pointer marker
/// makes the struct neither `Send` nor `Sync`, without costing a byte.
#[allow(dead_code)]
struct Handle {
    id: u32,
    _not_thread_safe: PhantomData<*const ()>,
}
// ANCHOR_END: opt_out

fn main() {
    // ANCHOR: rows
    row!(u64, send: true, sync: true);
    row!(String, send: true, sync: true);
    row!(Rc<u64>, send: false, sync: false);
    row!(Arc<u64>, send: true, sync: true);
    row!(Cell<u64>, send: true, sync: false);
    row!(RefCell<u64>, send: true, sync: false);
    row!(Arc<RefCell<u64>>, send: false, sync: false);
    row!(Mutex<u64>, send: true, sync: true);
    row!(Mutex<Cell<u64>>, send: true, sync: true);
    row!(RwLock<Cell<u64>>, send: true, sync: false);
    row!(MutexGuard<'static, u64>, send: false, sync: true);
    row!(MutexGuard<'static, Cell<u64>>, send: false, sync: false);
    row!(tokio::sync::MutexGuard<'static, u64>, send: true, sync: true);
    row!(&'static u64, send: true, sync: true);
    row!(&'static Cell<u64>, send: false, sync: false);
    row!(&'static mut Cell<u64>, send: true, sync: false);
    row!(*const u64, send: false, sync: false);
    row!(Handle, send: false, sync: false);
    // ANCHOR_END: rows
}
