//! `cargo xtask kit`: one archive for a workshop room where the network cannot be trusted:
//! the repository as committed, the built book, every crate the exercises need (vendored
//! with `cargo vendor`) and the cargo configuration that builds from them offline.
//!
//! `cargo xtask kit --check` also unpacks the archive in a scratch folder and, with the
//! network off and an empty cargo home, checks one exercise with `cargo workshop`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::command::{self, cargo};
use crate::tools;

const NAME: &str = "cannot-be-sent-kit";
/// Where the unpacked kit builds, between runs.
const KIT_TARGET: &str = "target/kit-check-target";

/// Builds the kit; with `check`, proves it works offline.
/// `book_built`: the book in `book/` was built by this run, from this tree (the test
/// command's book stage), so it is packed as it is.
pub fn run(check: bool, book_built: bool) -> Result<()> {
    let archive = build(book_built)?;
    let size = fs::metadata(&archive)?.len();
    eprintln!(
        "\nThe kit: {} ({:.1} MiB)",
        archive.display(),
        size as f64 / (1024.0 * 1024.0)
    );
    if check {
        check_offline(&archive)?;
    }
    Ok(())
}

fn build(book_built: bool) -> Result<PathBuf> {
    let root = crate::root();
    let out = root.join("target/kit");
    let stage = out.join(NAME);
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&stage)?;

    // The repository as committed: what a clone would give.
    let tarball = out.join("source.tar");
    command::run(
        Command::new("git")
            .args(["archive", "--format=tar", "-o"])
            .arg(&tarball)
            .arg("HEAD")
            .current_dir(&root),
    )?;
    command::run(
        Command::new("tar")
            .arg("-xf")
            .arg(&tarball)
            .arg("-C")
            .arg(&stage),
    )?;
    fs::remove_file(&tarball)?;

    // The book, built with the pinned tools.
    if !book_built {
        let tools = tools::ensure_all()?;
        command::run(tools.mdbook()?.arg("build"))?;
    }
    command::run(
        Command::new("cp")
            .arg("-r")
            .arg(root.join("book"))
            .arg(stage.join("book")),
    )?;

    // Every crate, and the configuration that uses them instead of crates.io.
    let mut vendor = cargo(&["vendor", "--locked", "--quiet"]);
    vendor.arg(stage.join("vendor")).stdout(Stdio::null());
    command::run(&mut vendor)?;
    let config = stage.join(".cargo/config.toml");
    let mut text = fs::read_to_string(&config).unwrap_or_default();
    text.push_str(
        "\n# Added by `cargo xtask kit`: build from the vendored crates, never the network.\n\
         [source.crates-io]\nreplace-with = \"vendored-sources\"\n\n\
         [source.vendored-sources]\ndirectory = \"vendor\"\n\n\
         [net]\noffline = true\n",
    );
    fs::write(&config, text)?;
    fs::write(stage.join("KIT.md"), KIT_README)?;

    let archive = out.join(format!("{NAME}.tar.gz"));
    command::run(
        Command::new("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("-C")
            .arg(&out)
            .arg(NAME),
    )?;
    fs::remove_dir_all(&stage)?;
    Ok(archive)
}

/// Unpacks the kit and checks an exercise with no network and an empty cargo home.
fn check_offline(archive: &Path) -> Result<()> {
    let scratch = crate::root().join("target/kit-check");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(scratch.join("cargo-home"))?;
    command::run(
        Command::new("tar")
            .arg("-xzf")
            .arg(archive)
            .arg("-C")
            .arg(&scratch),
    )?;
    let kit = scratch.join(NAME);
    // The unpacked kit's own target/ (its packages have the root's names, so they must not
    // share the root's builds) is kept between runs, moved aside while the kit is unpacked
    // again: the next check builds only what changed. The cargo home is still empty, so
    // every crate still comes from `vendor/`.
    let kept = crate::root().join(KIT_TARGET);
    if kept.is_dir() {
        fs::rename(&kept, kit.join("target"))
            .with_context(|| format!("moving {} into the kit", kept.display()))?;
    }

    let started = Instant::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["run", "--quiet", "--bin", "workshop", "--", "check", "1"])
        .current_dir(&kit)
        .env("CARGO_HOME", scratch.join("cargo-home"))
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .output()
        .context("running cargo workshop in the unpacked kit")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // As shipped, exercise 01 does not compile: the check must say so, and why.
    let diagnosed = stdout.contains("It does not compile yet") && stdout.contains("Why:");
    if !diagnosed {
        bail!(
            "the kit did not check exercise 01 offline as expected\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
    }
    eprintln!(
        "The unpacked kit built and checked exercise 01 offline, with an empty cargo home, in {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    let _ = fs::remove_dir_all(&kept);
    fs::rename(kit.join("target"), &kept)
        .with_context(|| format!("keeping the kit's target/ at {}", kept.display()))?;
    fs::remove_dir_all(&scratch).ok();
    Ok(())
}

const KIT_README: &str = "\
# Cannot Be Sent: the offline workshop kit

Everything needed for the workshop, with no network:

- `book/index.html`: the book. Open it in a browser (no server needed), or serve it with
  `python3 -m http.server -d book` for search to work in every browser.
- `exercises/`, `solutions/`, `checker/`: the exercises and the tool that checks them.
- `vendor/`: every crate they depend on. `.cargo/config.toml` points cargo at it and turns
  the network off.

You need the Rust toolchain named in `rust-toolchain.toml` (install it with rustup before
the workshop, while online). Then:

    cargo workshop doctor     # is this machine ready?
    cargo workshop            # where you are, and what to do next

The first command builds the dependencies once (a few minutes).
";
