// Claim: `spawn_blocking` asks for both `Send` and `'static`: it refuses a closure that
// moves an `Rc` in (E0277, the `Rc` cannot be sent) and one that borrows a local (E0373).
// `std::thread::scope` asks for `Send` but not for `'static`: its threads may borrow the
// locals of the scope (proofs/compiles/static-scoped-thread-borrows.rs), but an `Rc` still
// cannot go to one (E0277).
//
// Book: "'static is not Send" (src/traps/static-is-not-send.md).

use std::rc::Rc;

// ANCHOR: blocking_rc
async fn blocking_rc() {
    let name = Rc::new(String::from("report"));
    tokio::task::spawn_blocking(move || name.len())
        .await
        .unwrap();
}
// ANCHOR_END: blocking_rc

// ANCHOR: blocking_borrow
async fn blocking_borrow() {
    let name = String::from("report");
    tokio::task::spawn_blocking(|| name.len()).await.unwrap();
}
// ANCHOR_END: blocking_borrow

// ANCHOR: scoped_rc
fn scoped_rc() {
    let name = Rc::new(String::from("report"));
    std::thread::scope(|scope| {
        scope.spawn(move || name.len());
    });
}
// ANCHOR_END: scoped_rc

#[tokio::main]
async fn main() {
    blocking_rc().await;
    blocking_borrow().await;
    scoped_rc();
}
