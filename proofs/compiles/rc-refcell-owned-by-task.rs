// Claim: a `RefCell` that a spawned task owns is fine. `RefCell<T>` is `Send` when `T` is, so
// the task's future may hold the cell itself across an `.await`; what must not be alive at an
// `.await` is a borrow of it (a `Ref`, a `RefMut`, or a `&RefCell`). Here two callbacks of a
// synchronous parser both update the same tally, which `&mut` alone would not allow, and
// every borrow ends before the task awaits.
//
// Book: "Rc, Cell and RefCell" (src/other/rc-refcell.md).

use std::cell::RefCell;

#[derive(Debug, Default, PartialEq)]
struct Tally {
    accepted: u32,
    rejected: u32,
}

/// A synchronous parser with two callbacks, one per outcome.
fn parse_batch(lines: &[&str], mut accept: impl FnMut(u32), mut reject: impl FnMut(&str)) {
    for line in lines {
        match line.trim().parse() {
            Ok(value) => accept(value),
            Err(_) => reject(line),
        }
    }
}

// ANCHOR: import
async fn import(batches: Vec<Vec<&'static str>>) -> Tally {
    let tally = RefCell::new(Tally::default());
    for batch in batches {
        // Both callbacks change the tally. Each borrow lasts one call, and the
        // closures (which hold `&tally`) are gone when `parse_batch` returns.
        parse_batch(
            &batch,
            |_| tally.borrow_mut().accepted += 1,
            |_| tally.borrow_mut().rejected += 1,
        );
        // Here the future holds `tally`, and no borrow of it.
        tokio::task::yield_now().await;
    }
    tally.into_inner()
}
// ANCHOR_END: import

#[tokio::main]
async fn main() {
    let batches = vec![vec!["1", "2", "x"], vec!["40", "?"]];
    // `tokio::spawn` demands a `Send` future: that this compiles is the proof.
    let tally = tokio::spawn(import(batches)).await.unwrap();
    assert_eq!(
        tally,
        Tally {
            accepted: 3,
            rejected: 2
        }
    );
}
