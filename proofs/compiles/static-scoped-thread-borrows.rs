// Claim: `std::thread::scope` asks for `Send` but not for `'static`: threads spawned in a
// scope may borrow the locals around it, because the scope waits for all of them before
// it returns. (An `Rc` still cannot go to one:
// proofs/compile-fail/static-blocking-and-scoped-threads.rs.)
//
// Book: "'static is not Send" (src/traps/static-is-not-send.md).

use std::sync::Mutex;

// ANCHOR: scoped
fn total_length(words: &[String]) -> usize {
    let total = Mutex::new(0);
    std::thread::scope(|scope| {
        for word in words {
            scope.spawn(|| *total.lock().unwrap() += word.len());
        }
    });
    total.into_inner().unwrap()
}
// ANCHOR_END: scoped

fn main() {
    let words = vec![
        String::from("cannot"),
        String::from("be"),
        String::from("sent"),
    ];
    assert_eq!(total_length(&words), 12);
}
