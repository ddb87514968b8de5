//! Builds a package with cargo and collects what the compiler said, as structured messages
//! (`--message-format=json-diagnostic-rendered-ansi`, read with the `cargo_metadata` crate).

use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cargo_metadata::Message;
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel};

/// What one `cargo build` (or `check`) of one target produced.
#[derive(Debug)]
pub struct Build {
    pub success: bool,
    /// Errors and warnings about the target's own code, in the order the compiler gave them.
    pub diagnostics: Vec<Diagnostic>,
    /// Errors that were not about a target's code (a manifest or lockfile problem, say):
    /// cargo's own words from stderr.
    pub cargo_stderr: String,
    /// The program, when the build made one.
    pub executable: Option<PathBuf>,
    pub took: Duration,
}

impl Build {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| matches!(d.level, DiagnosticLevel::Error | DiagnosticLevel::Ice))
    }
}

/// Runs `cargo <verb> <args…>` in `dir` and collects its messages: all of them, or only
/// those about the target named `only_target`. `verb` is `build` or `check`. Colours the
/// rendered diagnostics when stdout is a terminal.
pub fn run(dir: &Path, verb: &str, args: &[&str], only_target: Option<&str>) -> Result<Build> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let format = if std::io::stdout().is_terminal() {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    };
    let started = Instant::now();
    let mut child = Command::new(cargo)
        .arg(verb)
        .args(args)
        .arg(format)
        .arg("--quiet")
        .current_dir(dir)
        // A learner's build must not pick up flags meant for another build.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting cargo {verb} in {}", dir.display()))?;

    let stderr = child.stderr.take().context("stderr is piped")?;
    let stderr_reader = std::thread::spawn(move || std::io::read_to_string(stderr));
    let stdout = child.stdout.take().context("stdout is piped")?;

    let mut build = Build {
        success: false,
        diagnostics: Vec::new(),
        cargo_stderr: String::new(),
        executable: None,
        took: Duration::ZERO,
    };
    for message in Message::parse_stream(BufReader::new(stdout)) {
        match message.context("reading cargo's messages")? {
            Message::CompilerMessage(message)
                if only_target.is_none_or(|name| message.target.name == name) =>
            {
                build.diagnostics.push(message.message);
            }
            Message::CompilerArtifact(artifact) => {
                if let Some(exe) = artifact.executable {
                    build.executable = Some(exe.into_std_path_buf());
                }
            }
            Message::BuildFinished(finished) => build.success = finished.success,
            _ => {}
        }
    }
    let status = child.wait().context("waiting for cargo")?;
    build.success &= status.success();
    build.cargo_stderr = stderr_reader
        .join()
        .ok()
        .and_then(|text| text.ok())
        .unwrap_or_default();
    build.took = started.elapsed();
    Ok(build)
}
