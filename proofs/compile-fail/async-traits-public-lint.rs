// Claim: rustc 1.95 warns about a bare `async fn` in a public trait (lint `async_fn_in_trait`,
// warn by default), because callers can never add `Send` to its future; its `help` writes
// the `-> impl Future<Output = …> + Send` form. Denied here so that trybuild pins the
// message. A trait that is not public gets no warning.
//
// Book: "Async traits in a library" (src/culprits/async-traits-library.md).

#![deny(async_fn_in_trait)]

// ANCHOR: trait
/// A library's storage interface: its users implement it, and spawn its futures.
pub trait ReportStore {
    async fn load(&self, key: &str) -> Option<Vec<u8>>;
}
// ANCHOR_END: trait

/// The same trait, private: no warning.
#[allow(dead_code)]
trait LocalStore {
    async fn load(&self, key: &str) -> Option<Vec<u8>>;
}

fn main() {}
