//! Every case in `cases/` fails to compile, in edition 2021, with exactly the error pinned
//! in the `.stderr` beside it. Re-record with `TRYBUILD=overwrite cargo test -p
//! edition2021-proofs` and read the diff.

/// trybuild's own flags (1.0.x), set as the complete list so that its two build steps, and
/// the root package's trybuild test, share one build of the dependencies (see the comment
/// in the root's `checker/tests/compile_fail.rs`).
const TRYBUILD_RUSTFLAGS: &[&str] = &[
    "--cfg",
    "trybuild",
    "--verbose",
    "-A",
    "dead_code",
    "--diagnostic-width=140",
];

#[test]
fn edition_2021_cases_fail_with_their_pinned_error() {
    // SAFETY: this test binary holds this one test, so no other thread reads the
    // environment while it is written.
    unsafe { std::env::set_var("CARGO_ENCODED_RUSTFLAGS", TRYBUILD_RUSTFLAGS.join("\x1f")) };
    let cases = trybuild::TestCases::new();
    cases.compile_fail("cases/*.rs");
}
