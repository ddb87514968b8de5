//! `cargo xtask test`: every check CI runs, in order from quickest to slowest to fail.

use anyhow::Result;

use std::process::Command;

use crate::command::{cargo, run as run_command};
use crate::tools;

pub fn run() -> Result<()> {
    crate::toolchain::ensure_components()?;
    run_command(&mut cargo(&["fmt", "--all", "--", "--check"]))?;
    // The material is compiled through `include!`, which `cargo fmt` does not follow.
    run_command(&mut material_rustfmt_check()?)?;
    crate::browser::lint_workflows()?;
    run_command(&mut cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The material: pinned errors, behaviour checks, manifest and book consistency.
    run_command(&mut cargo(&["test", "--workspace", "--locked"]))?;
    // The lab is its own workspace (lab/Cargo.toml says why): checked on its own.
    crate::lab::check()?;

    let tools = tools::ensure_all()?;
    run_command(tools.mdbook()?.arg("build"))?;
    run_command(tools.mdbook()?.arg("test"))?;
    // What a reader sees: every page in a real browser, links, search, callouts.
    crate::browser::check_book()?;
    // The offline kit: packed, unpacked, and an exercise checked with the network off.
    crate::kit::run(true)?;
    eprintln!("\nAll checks passed.");
    Ok(())
}

/// `rustfmt --check` over every Rust file in exercises/, solutions/ and proofs/.
fn material_rustfmt_check() -> Result<Command> {
    let root = crate::root();
    let mut files = Vec::new();
    for folder in ["exercises", "solutions", "proofs"] {
        collect_rust_files(&root.join(folder), &mut files)?;
    }
    files.sort();
    let mut command = Command::new("rustfmt");
    command
        .args(["--edition", "2024", "--check"])
        .args(files)
        .current_dir(&root);
    Ok(command)
}

fn collect_rust_files(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            // A nested package (with its own Cargo.toml) is formatted by its own check.
            if !path.join("Cargo.toml").exists() {
                collect_rust_files(&path, files)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}
