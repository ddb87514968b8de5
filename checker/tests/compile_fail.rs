//! Every `compile-fail` exercise, and every proof in `proofs/compile-fail/`, fails to compile with
//! exactly the error pinned in its `.stderr` file. The book includes those files, so what
//! a reader sees is what this compiler prints.
//!
//! After a deliberate change, re-record them with `cargo xtask bless` and read the diff.

use checker::material::verdicts::{Inputs, replay_or_run_test};
use std::path::PathBuf;

use checker::material::manifest::{self, Manifest, Outcome};

/// The repository's root, where the `checker` package's manifest is.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a check unless it passed before with the same inputs: see
/// `checker::material::verdicts`. No check here reads an exercise's hints.
fn checked(name: &str, check: impl FnOnce()) {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    let inputs = INPUTS.get_or_init(|| Inputs::new(&root()).material_but_hints());
    replay_or_run_test(&format!("compile_fail::{name}"), inputs, check);
}

#[test]
fn broken_code_fails_with_its_pinned_error() {
    checked(
        &format!(
            "broken_code_fails_with_its_pinned_error{}",
            manifest::scope()
        ),
        || {
            checker::material::toolchain::require_recorded_setup(&root());
            // SAFETY: this test binary holds this one test, so no other thread reads the
            // environment while it is written.
            // One dependency build for both of trybuild's steps: see `checker::material::trybuild_flags`.
            unsafe {
                std::env::set_var(
                    "CARGO_ENCODED_RUSTFLAGS",
                    checker::material::trybuild_flags::encoded(),
                )
            };

            let root = root();
            let manifest = Manifest::load(&root).expect("the manifest loads");
            let cases = trybuild::TestCases::new();
            for exercise in &manifest.exercises {
                if exercise.outcome == Outcome::CompileFail && manifest::is_checked(&exercise.id) {
                    // Relative to the root: trybuild then keeps the file's line numbers.
                    cases.compile_fail(exercise.source_rel());
                }
            }
            if manifest::only_exercise().is_none() {
                cases.compile_fail("proofs/compile-fail/*.rs");
            }

            // trybuild compiles and compares when `cases` is dropped, and panics on a mismatch.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(cases)));
            if let Err(panic) = outcome {
                eprintln!(
                    "\nA pinned error no longer matches what the compiler prints (EXPECTED above is \
                 the .stderr file, ACTUAL is the compiler).\nIf the change is deliberate, re-record \
                 the files with `cargo xtask bless` and read the diff it shows before committing."
                );
                std::panic::resume_unwind(panic);
            }
        },
    );
}
