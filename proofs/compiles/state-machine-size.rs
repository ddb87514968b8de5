// Claim: a local that is alive at an `.await` is stored in the future, and one that is not
// is not, which shows in the future's size. A 4 KiB buffer alive at the `.await` makes
// the future more than 4 KiB; the same buffer confined to a block that ends before the
// `.await` leaves it a few bytes. A buffer that was borrowed and is never used after the
// `.await` is stored all the same: a borrowed local counts as alive to the end of its
// scope (rust-lang/rust#94067), the rule behind "When drop() is not enough".
//
// Book: "What an async fn becomes" (src/understanding/state-machine.md).

use std::mem::size_of_val;

/// Stands in for any `.await` that pauses.
async fn pause() {
    tokio::task::yield_now().await;
}

fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&b| u64::from(b)).sum()
}

// ANCHOR: sizes
async fn used_after() -> u64 {
    let buf = [1u8; 4096];
    pause().await;
    checksum(&buf)
}

async fn scoped() -> u64 {
    let sum = {
        let buf = [1u8; 4096];
        checksum(&buf)
    };
    pause().await;
    sum
}

async fn borrowed_before() -> u64 {
    let buf = [1u8; 4096];
    let sum = checksum(&buf);
    pause().await;
    sum
}
// ANCHOR_END: sizes

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Creating a future runs none of its code: these only measure the state machines.
    // ANCHOR: measure
    let used_after_size = size_of_val(&used_after());
    let scoped_size = size_of_val(&scoped());
    let borrowed_before_size = size_of_val(&borrowed_before());
    // ANCHOR_END: measure
    println!("used after: {used_after_size} bytes");
    println!("scoped: {scoped_size} bytes");
    println!("borrowed before: {borrowed_before_size} bytes");
    assert!(used_after_size > 4096);
    assert!(scoped_size < 100);
    assert!(borrowed_before_size > 4096);

    // And they compute the same thing.
    assert_eq!(used_after().await, 4096);
    assert_eq!(scoped().await, 4096);
    assert_eq!(borrowed_before().await, 4096);
}
