//! Builds a package with cargo and collects what the compiler said, as structured messages
//! (`--message-format=json-diagnostic-rendered-ansi`, read with the `cargo_metadata` crate).

use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cargo_metadata::Message;
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel};

use crate::harness::run::Stop;

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
    /// The build was stopped at its time limit (see [`Options::time_limit`]).
    pub timed_out: bool,
}

/// How a build may run, past what [`run`] assumes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Stop cargo, and every compiler it started, after this long.
    pub time_limit: Option<Duration>,
    /// Stop cargo, and every compiler it started, as soon as this is set (the page that
    /// asked for the build has gone). Counts as a time limit: the build is marked
    /// [`Build::timed_out`].
    pub stop: Option<Stop>,
    /// Never touch the network (`--offline`): every crate must be on this machine already.
    pub offline: bool,
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
    run_with(dir, verb, args, only_target, Options::default())
}

/// [`run`], under `options`.
pub fn run_with(
    dir: &Path,
    verb: &str,
    args: &[&str],
    only_target: Option<&str>,
    options: Options,
) -> Result<Build> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let format = if std::io::stdout().is_terminal() {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    };
    let started = Instant::now();
    let mut command = Command::new(cargo);
    command.arg(verb).args(args).arg(format).arg("--quiet");
    if options.offline {
        command.arg("--offline");
    }
    if options.time_limit.is_some() || options.stop.is_some() {
        // Its own process group, so that the compilers it starts can be stopped with it.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
    }
    let mut child = command
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
    let limit = (options.time_limit.is_some() || options.stop.is_some()).then(|| {
        let limit = options.time_limit.unwrap_or(Duration::MAX);
        stop_after(child.id(), limit, options.stop.clone().unwrap_or_default())
    });

    let mut build = Build {
        success: false,
        diagnostics: Vec::new(),
        cargo_stderr: String::new(),
        executable: None,
        took: Duration::ZERO,
        timed_out: false,
    };
    for message in Message::parse_stream(BufReader::new(stdout)) {
        let message = match message {
            Ok(message) => message,
            // A build stopped at its limit may end in the middle of a line.
            Err(_) if limit.is_some() => break,
            Err(err) => return Err(err).context("reading cargo's messages"),
        };
        match message {
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
    if let Some((finished, stopped)) = limit {
        let _ = finished.send(());
        build.timed_out = stopped.join().unwrap_or(false);
    }
    build.success &= status.success() && !build.timed_out;
    build.cargo_stderr = stderr_reader
        .join()
        .ok()
        .and_then(|text| text.ok())
        .unwrap_or_default();
    build.took = started.elapsed();
    Ok(build)
}

/// Stops the process `pid` (with its process group, where there is one) once `limit` has
/// passed or `stop` is set, unless told first that it finished. The thread answers whether
/// it stopped it.
fn stop_after(
    pid: u32,
    limit: Duration,
    stop: Stop,
) -> (std::sync::mpsc::Sender<()>, std::thread::JoinHandle<bool>) {
    let (finished, told) = std::sync::mpsc::channel::<()>();
    let stopper = std::thread::spawn(move || {
        let deadline = Instant::now().checked_add(limit);
        loop {
            let left = deadline.map_or(Duration::from_secs(3600), |deadline| {
                deadline.saturating_duration_since(Instant::now())
            });
            if left.is_zero() || stop.is_stopped() {
                break;
            }
            // Looks at `stop` every 50 ms.
            match told.recv_timeout(left.min(Duration::from_millis(50))) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                _ => return false,
            }
        }
        let mut kill = if cfg!(windows) {
            let mut kill = Command::new("taskkill");
            kill.args(["/T", "/F", "/PID", &pid.to_string()]);
            kill
        } else {
            let mut kill = Command::new("kill");
            kill.args(["-KILL", "--", &format!("-{pid}")]);
            kill
        };
        let _ = kill.stdout(Stdio::null()).stderr(Stdio::null()).status();
        true
    });
    (finished, stopper)
}

/// `rendered` (a diagnostic as rustc prints it) with every path that starts with `from`
/// after a `-->` or `:::` arrow starting with `to` instead: the learner's copy is built in
/// its own package, where its path is `exercises/…`, but they know it as
/// `workshop/exercises/…`. Colour codes between the arrow and the path are kept.
pub fn relocate(rendered: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(rendered.len());
    let mut rest = rendered;
    while let Some(at) = ["-->", ":::"]
        .iter()
        .filter_map(|arrow| rest.find(arrow).map(|i| i + arrow.len()))
        .min()
    {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // Spaces and ANSI colour sequences (ESC [ … m) may sit between arrow and path.
        let mut skip = 0;
        let bytes = rest.as_bytes();
        loop {
            if bytes.get(skip) == Some(&b' ') {
                skip += 1;
            } else if bytes.get(skip) == Some(&0x1b) {
                match rest[skip..].find('m') {
                    Some(end) => skip += end + 1,
                    None => break,
                }
            } else {
                break;
            }
        }
        out.push_str(&rest[..skip]);
        rest = &rest[skip..];
        if let Some(after) = rest.strip_prefix(from) {
            out.push_str(to);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Gives the project at `dir` a Cargo.lock with the material's versions: the material's
/// lockfile, fitted to the project offline (`cargo update --workspace` keeps every version
/// it lists, adds the project's own packages and drops what the project does not use). A lockfile resolved afresh would take whatever newer
/// versions the machine's registry cache holds, and with them other compiler messages.
pub fn lock_like_material(material_root: &Path, dir: &Path) -> Result<()> {
    std::fs::copy(material_root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .with_context(|| format!("copying the material's Cargo.lock into {}", dir.display()))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["update", "--workspace", "--offline", "--quiet"])
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .stdout(Stdio::null())
        .output()
        .context("running cargo metadata")?;
    anyhow::ensure!(
        output.status.success(),
        "cargo could not fit the lockfile offline in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Stop, relocate, stop_after};

    #[cfg(unix)]
    #[test]
    fn a_process_past_its_limit_is_stopped_with_its_group() {
        use std::os::unix::process::CommandExt;
        use std::time::{Duration, Instant};

        let started = Instant::now();
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & sleep 30"])
            .process_group(0)
            .spawn()
            .expect("sh starts");
        let (_finished, stopped) = stop_after(child.id(), Duration::from_millis(200), Stop::new());
        child.wait().expect("sh ends");
        assert!(stopped.join().expect("the stopper ends"));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[cfg(unix)]
    #[test]
    fn a_process_told_to_stop_is_stopped_with_its_group() {
        use std::os::unix::process::CommandExt;
        use std::time::{Duration, Instant};

        let started = Instant::now();
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & sleep 30"])
            .process_group(0)
            .spawn()
            .expect("sh starts");
        let stop = Stop::new();
        let (_finished, stopped) = stop_after(child.id(), Duration::from_secs(60), stop.clone());
        std::thread::sleep(Duration::from_millis(100));
        stop.stop();
        child.wait().expect("sh ends");
        assert!(stopped.join().expect("the stopper ends"));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn paths_after_arrows_are_relocated() {
        let plain = "error: x\n  --> exercises/01-a.rs:42:1\n   |\nsee exercises/ too";
        assert_eq!(
            relocate(plain, "exercises/", "workshop/exercises/"),
            "error: x\n  --> workshop/exercises/01-a.rs:42:1\n   |\nsee exercises/ too"
        );
        let coloured = "\x1b[1m\x1b[94m--> \x1b[0mexercises/01-a.rs:1:1";
        assert_eq!(
            relocate(coloured, "exercises/", "w/exercises/"),
            "\x1b[1m\x1b[94m--> \x1b[0mw/exercises/01-a.rs:1:1"
        );
    }
}
