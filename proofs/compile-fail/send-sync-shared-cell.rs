// Claim: `&T` is `Send` only if `T` is `Sync`. The closure below moves nothing to the other
// thread; it only borrows `hits`. The compiler refuses it because `Cell<u64>` is not
// `Sync`, and says which rule it applied: "required for `&Cell<u64>` to implement `Send`".
//
// Book: "Send and Sync from first principles" (src/understanding/send-sync.md).

use std::cell::Cell;
use std::thread;

fn main() {
    // ANCHOR: share
    let hits = Cell::new(0_u64);
    thread::scope(|s| {
        s.spawn(|| hits.set(hits.get() + 1));
    });
    // ANCHOR_END: share
    assert_eq!(hits.get(), 1);
}
