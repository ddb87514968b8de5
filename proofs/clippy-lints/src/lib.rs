// Claim: clippy's `await_holding_lock`, `await_holding_refcell_ref` and
// `await_holding_invalid_type` warn by default, in every `async` body, whether or not
// anything asks for `Send`. Each module holds a mistake, with a comment
// `// warns on the next line: clippy::…` above the line clippy points at, beside its fixed
// version, which draws no warning. checker/tests/clippy_lints.rs checks both, and compares
// each module's warnings with the `.stderr` file beside it.
//
// Book: "Let clippy warn you" (src/traps/clippy.md).

// The order matters a little: clippy adds "on by default" to the first warning of each
// lint, and the book shows `local`, `refcell` and `span` first.
pub mod local;
pub mod refcell;
pub mod span;

pub mod async_mutex;
pub mod braces;
pub mod dashmap_ref;
pub mod dropped;
