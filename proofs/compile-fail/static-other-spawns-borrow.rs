// Claim: `tokio::spawn` is not the only spawn that asks for `'static`. `JoinSet::spawn`
// refuses a borrowing `async` block with the same E0373, although a `JoinSet` aborts its
// tasks when it is dropped; `spawn_local`, which asks for no `Send` at all, still asks for
// `'static`, and refuses a task that borrows a local of `main` (E0597).
//
// Book: "'static is not Send" (src/traps/static-is-not-send.md).

use tokio::task::{JoinSet, LocalSet};

// ANCHOR: join_set
async fn greet_twice() {
    let greeting = String::from("hello");
    let mut tasks = JoinSet::new();
    for _ in 0..2 {
        tasks.spawn(async { println!("{greeting}, world") });
    }
    tasks.join_all().await;
}
// ANCHOR_END: join_set

#[tokio::main(flavor = "current_thread")]
async fn main() {
    greet_twice().await;

    // ANCHOR: spawn_local
    let greeting = String::from("hello");
    let local = LocalSet::new();
    local
        .run_until(async {
            tokio::task::spawn_local(async { println!("{greeting}, world") })
                .await
                .unwrap();
        })
        .await;
    // ANCHOR_END: spawn_local
}
