//! The setup the pinned errors were recorded with (rust-toolchain.toml: the compiler and
//! its components), and whether this machine has it.
//!
//! Two things change what rustc prints for the material: its version, and whether the
//! `rust-src` component is installed (with it, rustc quotes the standard library's source
//! under its notes, `pub struct Box<` and the like). Checking them first turns "six pinned
//! errors differ" into one sentence that says what to install.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

/// What rust-toolchain.toml pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// `1.95.0`
    pub channel: String,
    pub components: Vec<String>,
}

/// What this machine's compiler is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// `rustc 1.95.0 (59807616e 2026-04-14)`
    pub rustc: String,
    /// The standard library's sources are installed (the `rust-src` component).
    pub has_rust_src: bool,
}

/// The components whose absence changes the pinned errors.
const AFFECTS_ERRORS: &[&str] = &["rust-src"];

pub fn recorded(root: &Path) -> Result<Recorded> {
    let path = root.join("rust-toolchain.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let toolchain = table
        .get("toolchain")
        .and_then(|t| t.as_table())
        .context("rust-toolchain.toml has no [toolchain]")?;
    let channel = toolchain
        .get("channel")
        .and_then(|c| c.as_str())
        .context("rust-toolchain.toml names no channel")?
        .to_owned();
    let components = toolchain
        .get("components")
        .and_then(|c| c.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(Recorded {
        channel,
        components,
    })
}

/// Asks the compiler that cargo would use in `root`.
pub fn observe(root: &Path) -> Result<Observed> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let run = |args: &[&str]| -> Result<String> {
        let output = Command::new(&rustc)
            .args(args)
            .current_dir(root)
            .output()
            .context("running rustc: is Rust installed (https://rustup.rs)?")?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let version = run(&["--version"])?;
    let sysroot = run(&["--print", "sysroot"])?;
    let has_rust_src = Path::new(&sysroot)
        .join("lib/rustlib/src/rust/library/core")
        .is_dir();
    Ok(Observed {
        rustc: version,
        has_rust_src,
    })
}

/// What differs between the recorded setup and this machine's, each with what to do; empty
/// when the pinned errors are what this compiler prints.
pub fn differences(recorded: &Recorded, observed: &Observed) -> Vec<String> {
    let mut found = Vec::new();
    if !observed
        .rustc
        .starts_with(&format!("rustc {} ", recorded.channel))
    {
        found.push(format!(
            "this machine's compiler is {}, but the pinned errors were recorded with rustc {}: \
             use rustup's cargo (https://rustup.rs), which reads rust-toolchain.toml, or \
             re-record them with `cargo xtask bless` if the change is deliberate",
            observed.rustc, recorded.channel
        ));
    }
    for component in AFFECTS_ERRORS {
        let wanted = recorded.components.iter().any(|c| c == component);
        let present = match *component {
            "rust-src" => observed.has_rust_src,
            _ => true,
        };
        if wanted && !present {
            found.push(format!(
                "the `{component}` component is missing (rustc quotes the standard library's \
                 source in its notes when it is there, and the pinned errors were recorded \
                 with it): run `rustup component add {component}`"
            ));
        } else if !wanted && present {
            found.push(format!(
                "the `{component}` component is installed, but the pinned errors were recorded \
                 without it: run `rustup component remove {component}`"
            ));
        }
    }
    found
}

/// The differences for the checkout at `root`, or why they could not be learnt.
pub fn check(root: &Path) -> Result<Vec<String>> {
    Ok(differences(&recorded(root)?, &observe(root)?))
}

/// For the tests that compare pinned errors: stops with one clear message when this
/// machine's setup is not the recorded one, rather than with a diff per file. Re-recording
/// (`TRYBUILD=overwrite`, as `cargo xtask bless` and the canary run it) is allowed anywhere.
pub fn require_recorded_setup(root: &Path) {
    if std::env::var_os("TRYBUILD").is_some_and(|v| v == "overwrite") {
        return;
    }
    match check(root) {
        Ok(found) if found.is_empty() => {}
        Ok(found) => panic!(
            "\nThe pinned compiler errors cannot match on this machine, because its toolchain \
             differs from the one they were recorded with (rust-toolchain.toml):\n- {}\n\
             `cargo workshop doctor` checks this too.\n",
            found.join("\n- ")
        ),
        Err(err) => panic!("\nCould not tell which toolchain this is: {err:#}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinned() -> Recorded {
        Recorded {
            channel: "1.95.0".into(),
            components: vec!["clippy".into(), "rust-src".into()],
        }
    }

    #[test]
    fn the_recorded_setup_has_no_differences() {
        let here = Observed {
            rustc: "rustc 1.95.0 (59807616e 2026-04-14)".into(),
            has_rust_src: true,
        };
        assert!(differences(&pinned(), &here).is_empty());
    }

    #[test]
    fn a_missing_component_and_another_compiler_are_named_with_their_fix() {
        let elsewhere = Observed {
            rustc: "rustc 1.97.0-nightly (abc 2026-05-19)".into(),
            has_rust_src: false,
        };
        let found = differences(&pinned(), &elsewhere);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("rustc 1.97.0-nightly") && found[0].contains("1.95.0"));
        assert!(found[1].contains("rustup component add rust-src"));
        // 1.95.0 must not pass for 1.95.01 or 1.95.0-beta.
        let beta = Observed {
            rustc: "rustc 1.95.0-beta.3 (x 2026-03-01)".into(),
            has_rust_src: true,
        };
        assert_eq!(differences(&pinned(), &beta).len(), 1);
    }

    #[test]
    fn the_checkout_s_file_is_read() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let recorded = recorded(&root).expect("rust-toolchain.toml reads");
        assert!(recorded.components.iter().any(|c| c == "rust-src"));
    }
}
