//! Runs the commands a task is made of, echoing each one so the log reads like a script.

use std::process::Command;

use anyhow::{Context, Result, bail};

/// A `cargo` command run from the repository's root, with the same toolchain as xtask.
pub fn cargo(args: &[&str]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(crate::root());
    command
}

/// Runs `command` to its end; fails, naming it, if it does not succeed.
pub fn run(command: &mut Command) -> Result<()> {
    let shown = show(command);
    eprintln!("\n$ {shown}");
    let status = command
        .status()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// The command as one would type it (program and arguments; not the environment).
pub fn show(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    if let Some(first) = words.first_mut()
        && first.ends_with("/cargo")
    {
        *first = "cargo".into();
    }
    words.join(" ")
}
