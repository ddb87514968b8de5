// Claim: each row of the table in "Send and Sync from first principles": which common
// types are `Send`, which are `Sync`, and that a type can opt out of both on stable Rust
// with a marker field that takes no space. The compiler answers each question below; the
// program checks the answers against the table, so a wrong row fails the test suite.
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
/// A handle that must stay on the thread that made it. The marker
/// field makes the struct neither `Send` nor `Sync`, and takes no space.
struct Handle {
    id: u32,
    _not_thread_safe: PhantomData<*const ()>,
}
// ANCHOR_END: opt_out

fn main() {
    let handle = Handle {
        id: 7,
        _not_thread_safe: PhantomData,
    };
    assert_eq!(handle.id, 7);
    assert_eq!(size_of::<Handle>(), size_of::<u32>());

    // ANCHOR: rows
    row!(u64, send: true, sync: true);
    row!(String, send: true, sync: true);
    row!(Vec<String>, send: true, sync: true);
    row!(Rc<u64>, send: false, sync: false);
    row!(Arc<u64>, send: true, sync: true);
    row!(Arc<Mutex<u64>>, send: true, sync: true);
    row!(Arc<RefCell<u64>>, send: false, sync: false);
    row!(Cell<u64>, send: true, sync: false);
    row!(RefCell<u64>, send: true, sync: false);
    row!(Cell<Rc<u64>>, send: false, sync: false);
    row!(RefCell<Rc<u64>>, send: false, sync: false);
    row!(Mutex<u64>, send: true, sync: true);
    row!(Mutex<Cell<u64>>, send: true, sync: true);
    row!(Mutex<Rc<u64>>, send: false, sync: false);
    row!(RwLock<u64>, send: true, sync: true);
    row!(RwLock<Cell<u64>>, send: true, sync: false);
    row!(RwLock<Rc<u64>>, send: false, sync: false);
    row!(MutexGuard<'static, u64>, send: false, sync: true);
    row!(MutexGuard<'static, Cell<u64>>, send: false, sync: false);
    row!(tokio::sync::MutexGuard<'static, u64>, send: true, sync: true);
    row!(tokio::sync::MutexGuard<'static, Cell<u64>>, send: true, sync: false);
    row!(tokio::sync::MutexGuard<'static, Rc<u64>>, send: false, sync: false);
    row!(&'static u64, send: true, sync: true);
    row!(&'static Cell<u64>, send: false, sync: false);
    row!(&'static mut u64, send: true, sync: true);
    row!(&'static mut Cell<u64>, send: true, sync: false);
    row!(&'static mut Rc<u64>, send: false, sync: false);
    row!(*const u64, send: false, sync: false);
    row!(Handle, send: false, sync: false);
    // ANCHOR_END: rows
}
