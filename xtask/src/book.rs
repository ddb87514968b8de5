//! `cargo xtask book`: build the book with the pinned tools and serve it on localhost, with
//! Run buttons that compile on this machine (the book's server, `checker::playground`).
//! `--build-only` builds the book as it is published, into book/, with no Run but the
//! public playground's.

use std::path::PathBuf;
use std::process::Command;

use anyhow::Result;

use crate::command;
use crate::tools::{self, Tools};

/// Where the served book is built: book/ keeps the book as it is published.
pub const SERVED_DIR: &str = "target/served-book";

/// The preprocessor's switch for runnable blocks (`checker::material::book::RUN_IN_PAGE_ENV`).
const RUN_IN_PAGE_ENV: &str = "CANNOT_BE_SENT_RUN_IN_PAGE";

pub fn run(port: u16, build_only: bool) -> Result<()> {
    let tools = tools::ensure_all()?;
    if build_only {
        command::run(tools.mdbook()?.arg("build"))?;
        eprintln!("\nThe book is in book/index.html");
        return Ok(());
    }
    let server = build_server()?;
    let out = crate::root().join(SERVED_DIR);
    let mut mdbook = served_mdbook(&tools)?;
    command::run(mdbook.arg("build").arg("-d").arg(&out))?;
    // The server rebuilds the book with the same mdBook and settings when its sources
    // change, so it gets mdBook's environment.
    let mut server = Command::new(server);
    server
        .args(["--port", &port.to_string(), "--book"])
        .arg(&out)
        .arg("--mdbook")
        .arg(mdbook.get_program())
        .envs(
            mdbook
                .get_envs()
                .filter_map(|(key, value)| Some((key.to_owned(), value?.to_owned()))),
        )
        .current_dir(crate::root());
    command::run(&mut server)
}

/// Builds the book's server (and the preprocessor with it); returns the server's path.
pub fn build_server() -> Result<PathBuf> {
    command::run(&mut command::cargo(&[
        "build",
        "--quiet",
        "--bin",
        "book-server",
        "--bin",
        "mdbook-exercises",
    ]))?;
    Ok(target_dir().join("debug/book-server"))
}

/// mdBook, set to build the book as it is served: blocks of exercises and solutions are
/// editable and runnable.
pub fn served_mdbook(tools: &Tools) -> Result<Command> {
    let mut mdbook = tools.mdbook()?;
    mdbook
        .env(RUN_IN_PAGE_ENV, "1")
        // mdBook's own setting, given as an override: the published book loads no editor.
        .env("MDBOOK_OUTPUT__HTML__PLAYGROUND__EDITABLE", "true")
        // Nothing in the served book needs the network.
        .env("CARGO_NET_OFFLINE", "true");
    Ok(mdbook)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                crate::root().join(dir)
            }
        })
        .unwrap_or_else(|| crate::root().join("target"))
}
