//! The pinned mdBook tools. mdbook-admonish 1.20 works only with mdBook 0.4.x (0.5 changed
//! the preprocessor protocol), so both are pinned and installed side by side in a cache
//! folder of their own, never over a reader's own `mdbook`.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::command;

pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// mdbook-admonish 1.20.0 is built against mdBook 0.4.51: the same version avoids its
/// version-mismatch warning.
pub const MDBOOK: Tool = Tool {
    name: "mdbook",
    version: "0.4.51",
};
pub const MDBOOK_ADMONISH: Tool = Tool {
    name: "mdbook-admonish",
    version: "1.20.0",
};

/// The installed tools: the folders to put first on `PATH` when running mdBook.
pub struct Tools {
    bin_dirs: Vec<PathBuf>,
}

impl Tools {
    pub fn mdbook(&self) -> Result<Command> {
        let mut command = Command::new(self.bin_dirs[0].join(MDBOOK.name));
        command.env("PATH", self.path()?).current_dir(crate::root());
        Ok(command)
    }

    /// `PATH` with the tools' folders first, so mdBook finds mdbook-admonish.
    fn path(&self) -> Result<OsString> {
        let current = env::var_os("PATH").unwrap_or_default();
        let mut all = self.bin_dirs.clone();
        all.extend(env::split_paths(&current));
        env::join_paths(all).context("joining PATH")
    }

    pub fn report(&self) {
        for dir in &self.bin_dirs {
            println!("{}", dir.display());
        }
    }
}

/// Installs whichever pinned tool is missing (or of another version), then returns them.
pub fn ensure_all() -> Result<Tools> {
    let bin_dirs = [MDBOOK, MDBOOK_ADMONISH]
        .iter()
        .map(ensure)
        .collect::<Result<Vec<_>>>()?;
    Ok(Tools { bin_dirs })
}

/// Where the tools are kept: `$CANNOT_BE_SENT_TOOLS`, else a folder in the user's cache.
fn tools_dir() -> PathBuf {
    if let Some(dir) = env::var_os("CANNOT_BE_SENT_TOOLS") {
        return PathBuf::from(dir);
    }
    let cache = env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| crate::root().join("target"));
    cache.join("cannot-be-sent").join("tools")
}

fn ensure(tool: &Tool) -> Result<PathBuf> {
    let root = tools_dir().join(format!("{}-{}", tool.name, tool.version));
    let bin_dir = root.join("bin");
    if installed_version(&bin_dir.join(tool.name)).as_deref() == Some(tool.version) {
        return Ok(bin_dir);
    }
    eprintln!(
        "Installing {} {} into {} (once; it takes a few minutes)…",
        tool.name,
        tool.version,
        root.display()
    );
    let mut install = command::cargo(&["install", "--locked", "--version", tool.version]);
    install.arg(tool.name).arg("--root").arg(&root);
    if let Err(err) = command::run(&mut install) {
        bail!(
            "{err:#}\n\nThe book needs {name} {version} (exactly; mdbook-admonish 1.20 does not \
             work with mdBook 0.5). Installing it needs crates.io. When you are online, run:\n\n    \
             cargo install --locked --version {version} {name} --root {root}\n\n\
             or put a `{name}` of version {version} in {bin}.",
            name = tool.name,
            version = tool.version,
            root = root.display(),
            bin = bin_dir.display(),
        );
    }
    match installed_version(&bin_dir.join(tool.name)) {
        Some(version) if version == tool.version => Ok(bin_dir),
        other => bail!(
            "installed {} but it reports version {:?}, not {}",
            tool.name,
            other,
            tool.version
        ),
    }
}

/// The version a tool prints (`mdbook v0.4.51`, `mdbook-admonish 1.20.0`), if it runs.
fn installed_version(binary: &Path) -> Option<String> {
    let output = Command::new(binary).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let word = text.split_whitespace().nth(1)?;
    Some(word.trim_start_matches('v').to_owned())
}
