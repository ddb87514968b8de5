//! `cargo xtask test`: every check CI runs, in order from quickest to slowest to fail.

use anyhow::Result;

use crate::command::{cargo, run as run_command};
use crate::tools;

pub fn run() -> Result<()> {
    run_command(&mut cargo(&["fmt", "--all", "--", "--check"]))?;
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
    eprintln!("\nAll checks passed.");
    Ok(())
}
