//! Every case in `cases/` fails to compile, in edition 2021, with exactly the error pinned
//! in the `.stderr` beside it. Re-record with `TRYBUILD=overwrite cargo test -p
//! edition2021-proofs` and read the diff.

#[test]
fn edition_2021_cases_fail_with_their_pinned_error() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    checker::material::toolchain::require_recorded_setup(&root);
    // SAFETY: this test binary holds this one test, so no other thread reads the
    // environment while it is written.
    // The same flags as the root's trybuild test, so both share one dependency build.
    unsafe {
        std::env::set_var(
            "CARGO_ENCODED_RUSTFLAGS",
            checker::material::trybuild_flags::encoded(),
        )
    };
    let cases = trybuild::TestCases::new();
    cases.compile_fail("cases/*.rs");
}
