// Claim: to learn why a type from another crate is not `Send`, ask the compiler about the
// type alone, with a function that requires `Send`. For scraper 0.29's `Html`, E0277 then
// lists every type on the way in, "required because it appears within the type …", from
// `Html` down to the `Cell<usize>` in tendril's non-atomic reference count.
//
// Book: "Types from other crates" (src/culprits/foreign-types.md).

use scraper::Html;

// ANCHOR: probe
fn must_be_send<T: Send>() {}

fn main() {
    must_be_send::<Html>();
}
// ANCHOR_END: probe
