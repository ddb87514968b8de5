//! `cargo xtask book`: build the book with the pinned tools and serve it on localhost.

use anyhow::Result;

use crate::command;
use crate::tools;

pub fn run(port: u16, build_only: bool) -> Result<()> {
    let tools = tools::ensure_all()?;
    if build_only {
        command::run(tools.mdbook()?.arg("build"))?;
        eprintln!("\nThe book is in book/index.html");
        return Ok(());
    }
    eprintln!("\nServing the book on http://127.0.0.1:{port} (Ctrl-C stops it)");
    command::run(tools.mdbook()?.args([
        "serve",
        "--hostname",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ]))
}
