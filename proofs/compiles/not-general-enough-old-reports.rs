// Claim: some old "not general enough" and "higher-ranked lifetime error" reports compile
// on Rust 1.95. Iterating a `BTreeMap` across an `.await` in a spawned task (the title of
// rust-lang/rust#64552; the `BTreeMap` case was fixed by rust-lang/rust#102680) and an
// iterator adapter chain alive across an `.await`, in a future coerced to `dyn Future + Send`
// (a snippet from a 2023 comment on rust-lang/rust#102211, whose author found that it
// failed for any auto trait) are both accepted now. The issues stay open for other
// shapes, such as `buffer_unordered` over borrowed items.
//
// Book: "When the compiler cannot prove it" (src/culprits/not-general-enough.md).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

// ANCHOR: btree
#[allow(clippy::for_kv_map)] // the pairs, as in the report
async fn total(sizes: BTreeMap<String, Box<dyn Send + Sync>>) -> usize {
    let mut seen = 0;
    for (name, _) in &sizes {
        tokio::task::yield_now().await;
        seen += name.len();
    }
    seen
}
// ANCHOR_END: btree

// ANCHOR: flatten
#[allow(clippy::map_flatten)]
fn flattened() -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async {
        let _it = [()].iter().map(|_it| None::<()>).flatten();
        async {}.await;
    })
}
// ANCHOR_END: flatten

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut sizes: BTreeMap<String, Box<dyn Send + Sync>> = BTreeMap::new();
    sizes.insert("a.txt".into(), Box::new(1u8));
    assert_eq!(tokio::spawn(total(sizes)).await.unwrap(), 5);
    tokio::spawn(flattened()).await.unwrap();
}
