// Claim: a block cannot hand out a reference into the data behind a guard: the borrow
// checker stops the reference from outliving the guard it came through, before any `Send`
// question arises.
//
// Book: "End the guard's life before the await" (src/fixes/scope.md).

use std::collections::HashMap;
use std::sync::Mutex;

fn main() {
    let tokens: Mutex<HashMap<String, u32>> = Mutex::new(HashMap::new());
    // ANCHOR: escape
    let bucket = {
        let mut buckets = tokens.lock().unwrap();
        buckets.entry("client-7".to_owned()).or_insert(10)
    };
    *bucket -= 1;
    // ANCHOR_END: escape
}
