//! parking_lot's `send_guard` feature makes its guards `Send`: code that holds one across an
//! `.await` then compiles, and can still block the runtime. The proofs live in a package of
//! their own, `proofs/send-guard/`, outside the root workspace: Cargo unifies features
//! across a workspace, and `send_guard` must never reach the root's parking_lot (its
//! Cargo.toml says why).
//!
//! These tests run cargo on that package, built into the root's `target/` so that the
//! dependencies they share are built once, and check what each proof shows.

use checker::material::verdicts::{Inputs, replay_or_run_test};
use std::path::PathBuf;
use std::process::{Command, ExitStatus};
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a check unless it passed before with the same inputs: see
/// `checker::material::verdicts`. No check here reads an exercise's hints.
fn checked(name: &str, check: impl FnOnce()) {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    let inputs = INPUTS.get_or_init(|| Inputs::new(&root()).material_but_hints());
    replay_or_run_test(&format!("send_guard::{name}"), inputs, check);
}

/// Room for a cold build of the package's few dependencies. The proofs bound their own
/// waits (a deadlock is reported after two seconds), so only a stuck build reaches this.
const LIMIT: Duration = Duration::from_secs(600);

/// Each proof of the package's tests, by the name of its test function.
const PROOFS: &[&str] = &[
    "a_parking_lot_guard_with_send_guard_may_cross_an_await_in_a_spawned_task",
    "a_guard_held_across_an_await_blocks_the_only_thread",
];

#[test]
fn send_guard_compiles_and_a_guard_across_an_await_still_blocks() {
    checked(
        "send_guard_compiles_and_a_guard_across_an_await_still_blocks",
        || {
            let (status, stdout, stderr) = cargo_on_the_proofs(&["test"]);
            assert!(
                status.success(),
                "proofs/send-guard should compile (with `send_guard`, the guard is `Send`) and its \
             proofs should pass:\n{stdout}\n{stderr}"
            );
            for proof in PROOFS {
                assert!(
                    stdout.contains(&format!("test {proof} ... ok")),
                    "proofs/send-guard did not run {proof}:\n{stdout}"
                );
            }
        },
    );
}

#[test]
fn clippy_still_warns_with_send_guard() {
    checked("clippy_still_warns_with_send_guard", || {
        let (status, _, stderr) = cargo_on_the_proofs(&[
            "clippy",
            "--example",
            "clippy-still-warns",
            "--message-format",
            "short",
        ]);
        assert!(status.success(), "clippy should run:\n{stderr}");
        let warned = stderr.lines().any(|line| {
            line.contains("clippy-still-warns.rs")
                && line.contains("warning: this `MutexGuard` is held across an await point")
        });
        assert!(
            warned,
            "clippy's await_holding_lock should warn about the parking_lot guard, `Send` or not:\n{stderr}"
        );
    });
}

/// Runs `cargo <args>` on proofs/send-guard and returns how it ended and what it printed.
fn cargo_on_the_proofs(args: &[&str]) -> (ExitStatus, String, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .args(["--locked", "--manifest-path"])
        .arg(root.join("proofs/send-guard/Cargo.toml"))
        .current_dir(&root)
        // Flags meant for another build (trybuild sets some) would change every
        // fingerprint and rebuild the shared dependencies.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS");
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        command.env("CARGO_TARGET_DIR", root.join("target"));
    }

    let finished = checker::harness::run::capture(command, LIMIT).expect("cargo starts");
    let Some(status) = finished.status else {
        panic!("cargo {args:?} on proofs/send-guard did not finish within {LIMIT:?}");
    };
    (status, finished.stdout, finished.stderr)
}
