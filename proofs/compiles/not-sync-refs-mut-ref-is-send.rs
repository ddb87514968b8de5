// Claim: `&mut T` is `Send` whenever `T` is `Send`, with no `Sync` needed, because a
// mutable reference is the only way to the value while it lives: no two threads can use it
// at once. So a worker that goes through its rules with `iter_mut()` (or `&mut self`) may
// keep a rule that is only `Send` across an `.await`, and be spawned.
//
// Book: "References to values that are not Sync" (src/culprits/not-sync-refs.md).

use std::cell::Cell;
use std::time::Duration;

trait Rule {
    fn inspect(&self, text: &str) -> bool;
}

/// A rule that counts what it has seen in a `Cell`: `Send`, not `Sync`.
struct Counting {
    seen: Cell<u32>,
}

impl Rule for Counting {
    fn inspect(&self, text: &str) -> bool {
        self.seen.set(self.seen.get() + 1);
        !text.is_empty()
    }
}

// ANCHOR: mut_ref
async fn review(rules: &mut [Box<dyn Rule + Send>], text: &str) -> bool {
    for rule in rules.iter_mut() {
        // `rule: &mut Box<dyn Rule + Send>`, alive across the `.await`.
        tokio::time::sleep(Duration::from_millis(1)).await;
        if !rule.inspect(text) {
            return false;
        }
    }
    true
}
// ANCHOR_END: mut_ref

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let task = tokio::spawn(async {
        let mut rules: Vec<Box<dyn Rule + Send>> = vec![Box::new(Counting { seen: Cell::new(0) })];
        review(&mut rules, "hello").await
    });
    assert!(task.await.unwrap());
}
