// Claim: `await_holding_refcell_ref` warns about a `RefCell` borrow held across an
// `.await`. On one thread it cannot be a data race, but another task that borrows the same
// cell while this one waits panics with a `BorrowMutError`.
//
// Book: "Let clippy warn you" (src/traps/clippy.md).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

async fn send(_batch: usize) {
    tokio::time::sleep(Duration::from_millis(10)).await;
}

// ANCHOR: held
pub async fn flush(pending: Rc<RefCell<Vec<u64>>>) {
    // warns on the next line: clippy::await_holding_refcell_ref
    let mut samples = pending.borrow_mut();
    send(samples.len()).await;
    samples.clear();
}
// ANCHOR_END: held

// ANCHOR: fixed
pub async fn flush_fixed(pending: Rc<RefCell<Vec<u64>>>) {
    let batch: Vec<u64> = pending.borrow_mut().drain(..).collect();
    send(batch.len()).await;
}
// ANCHOR_END: fixed
