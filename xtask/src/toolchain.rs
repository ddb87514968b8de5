//! The toolchain the pinned errors were recorded with: rust-toolchain.toml names the
//! compiler and its components, and rustup installs a missing toolchain on first use but
//! not a component added to the file later. `cargo xtask test` adds those first, so the
//! pinned errors (which depend on `rust-src`) match on any machine set up with rustup.

use std::process::Command;

use anyhow::{Context, Result};

use crate::command;

pub fn ensure_components() -> Result<()> {
    let path = crate::root().join("rust-toolchain.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = text.parse().context("parsing rust-toolchain.toml")?;
    let toolchain = table.get("toolchain").and_then(|t| t.as_table());
    let channel = toolchain
        .and_then(|t| t.get("channel"))
        .and_then(|c| c.as_str())
        .context("rust-toolchain.toml names no channel")?;
    let wanted: Vec<&str> = toolchain
        .and_then(|t| t.get("components"))
        .and_then(|c| c.as_array())
        .map(|list| list.iter().filter_map(|c| c.as_str()).collect())
        .unwrap_or_default();
    let Ok(listed) = Command::new("rustup")
        .args(["component", "list", "--installed", "--toolchain", channel])
        .output()
    else {
        eprintln!(
            "note: no rustup here; the compile-fail tests check that this compiler matches \
             rust-toolchain.toml ({channel} with {})",
            wanted.join(", ")
        );
        return Ok(());
    };
    let installed = String::from_utf8_lossy(&listed.stdout);
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|w| {
            !installed
                .lines()
                .any(|line| line == *w || line.starts_with(&format!("{w}-")))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!(
        "Installing the components rust-toolchain.toml lists: {}",
        missing.join(", ")
    );
    command::run(
        Command::new("rustup")
            .args(["component", "add", "--toolchain", channel])
            .args(&missing),
    )
}
