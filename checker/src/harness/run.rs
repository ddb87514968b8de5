//! Runs a compiled program of the material in its own process, under a time limit, and reads
//! back the verdict its harness printed. The material tests and the learner's CLI both use it.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result};
use wait_timeout::ChildExt;

use crate::harness::{VERDICT_PREFIX, Verdict};

/// A limit on the whole process, past the harness's own watchdog: it stops code that never
/// reaches the harness (a loop in `main` before the check starts, say).
pub const PROCESS_LIMIT: Duration = Duration::from_secs(30);

/// What one run of a program ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub verdict: Verdict,
    /// Everything the program printed on stderr, for showing a learner what happened.
    pub stderr: String,
}

/// Runs `command` to its end (or [`PROCESS_LIMIT`]) and reads its verdict.
pub fn run(command: Command) -> Result<Run> {
    run_within(command, PROCESS_LIMIT)
}

/// Runs `command` to its end (or `limit`) and reads its verdict.
pub fn run_within(command: Command, limit: Duration) -> Result<Run> {
    let finished = capture(command, limit)?;
    let verdict = match finished.status {
        None => Verdict::TimedOut(limit),
        Some(status) => verdict_from(status.code(), &finished.stderr),
    };
    Ok(Run {
        verdict,
        stderr: finished.stderr,
    })
}

/// How a command run by [`capture`] ended, and what it printed.
#[derive(Debug)]
pub struct Captured {
    /// `None` if it was stopped at the time limit.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` with no input to its end, or kills it at `limit`, and collects what it
/// printed. Both pipes are read on the side, so a chatty program cannot fill one and stall.
/// The command runs in a process group of its own, and the whole group is killed at the
/// limit: `cargo` leaves no `rustc` behind.
pub fn capture(command: Command, limit: Duration) -> Result<Captured> {
    capture_with(command, limit, false)
}

/// [`capture`], also passing what the command prints on stderr through to this process's
/// stderr as it comes (cargo's progress, while a long build runs).
pub fn capture_showing_stderr(command: Command, limit: Duration) -> Result<Captured> {
    capture_with(command, limit, true)
}

/// The process groups [`capture`] has started and not yet seen end, so that an
/// interrupted caller can stop them ([`stop_running`]): a group of its own does not get
/// the terminal's Ctrl-C.
static RUNNING: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());

static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether [`stop_running`] was called: what the killed commands return then is no answer.
pub fn stopping() -> bool {
    STOPPING.load(std::sync::atomic::Ordering::SeqCst)
}

/// Kills every process group [`capture`] is waiting for (on Ctrl-C, say).
pub fn stop_running() {
    STOPPING.store(true, std::sync::atomic::Ordering::SeqCst);
    let groups = RUNNING.lock().map(|g| g.clone()).unwrap_or_default();
    for group in groups {
        kill_group(group);
    }
}

/// Counts a process group among those [`stop_running`] stops.
pub fn track_group(group: u32) {
    if let Ok(mut running) = RUNNING.lock() {
        running.push(group);
    }
}

pub fn untrack_group(group: u32) {
    if let Ok(mut running) = RUNNING.lock() {
        running.retain(|g| *g != group);
    }
}

/// Kills a process group when `limit` passes, unless dropped first.
pub struct Deadline {
    _cancel: mpsc::Sender<()>,
}

pub fn stop_group_at(group: u32, limit: Duration) -> Deadline {
    let (cancel, cancelled) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = cancelled.recv_timeout(limit) {
            kill_group(group);
        }
    });
    Deadline { _cancel: cancel }
}

fn kill_group(group: u32) {
    #[cfg(unix)]
    Command::new("kill")
        .args(["-KILL", "--", &format!("-{group}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok();
}

fn capture_with(mut command: Command, limit: Duration, show_stderr: bool) -> Result<Captured> {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let id = child.id();
    track_group(id);
    let stdout = read_in_background(child.stdout.take().context("stdout is piped")?, false);
    let stderr = read_in_background(child.stderr.take().context("stderr is piped")?, show_stderr);
    let waited = child.wait_timeout(limit);
    untrack_group(id);
    let status = match waited? {
        Some(status) => Some(status),
        None => {
            kill_group(id);
            child.kill().ok();
            child.wait().ok();
            None
        }
    };
    Ok(Captured {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// How much of each pipe [`capture`] keeps: its first bytes, then its last ones. A program
/// that prints without end still ends at its limit, with bounded memory, and its verdict
/// line (the last) is kept.
pub const OUTPUT_HEAD: usize = 768 * 1024;
pub const OUTPUT_TAIL: usize = 256 * 1024;

fn read_in_background(
    mut pipe: impl Read + Send + 'static,
    show: bool,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut kept = Kept::default();
        let mut buffer = [0; 64 * 1024];
        loop {
            match pipe.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    if show {
                        use std::io::Write;
                        let _ = std::io::stderr().write_all(&buffer[..n]);
                    }
                    kept.push(&buffer[..n]);
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        kept.text()
    })
}

/// The head and tail of a stream, with how much was left out between them.
#[derive(Default)]
struct Kept {
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    left_out: usize,
}

impl Kept {
    fn push(&mut self, mut bytes: &[u8]) {
        let room = OUTPUT_HEAD - self.head.len();
        let (first, rest) = bytes.split_at(room.min(bytes.len()));
        self.head.extend_from_slice(first);
        bytes = rest;
        self.tail.extend(bytes);
        let over = self.tail.len().saturating_sub(OUTPUT_TAIL);
        self.tail.drain(..over);
        self.left_out += over;
    }

    fn text(self) -> String {
        let mut bytes = self.head;
        if self.left_out > 0 {
            let note = format!("\n… ({} bytes of output left out) …\n", self.left_out);
            bytes.extend_from_slice(note.as_bytes());
        }
        bytes.extend(self.tail);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Rebuilds the verdict from the exit code and the `verdict:` line of a finished program.
fn verdict_from(code: Option<i32>, stderr: &str) -> Verdict {
    let line = stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix(VERDICT_PREFIX))
        .map(str::trim)
        .unwrap_or_default();
    let after = |label: &str| line.strip_prefix(label).unwrap_or(line).trim().to_owned();
    match code {
        Some(0) => Verdict::Passed,
        Some(1) => Verdict::Wrong(after("wrong:")),
        Some(2) => Verdict::Panicked(after("panicked:")),
        Some(3) => Verdict::AsyncDeadlock,
        Some(4) => Verdict::Blocked,
        // A panic outside the harness (in `main` itself) exits with 101.
        Some(101) => Verdict::Panicked(panic_message(stderr)),
        Some(other) => Verdict::Crashed(format!("exit code {other}")),
        None => Verdict::Crashed("killed by a signal".into()),
    }
}

fn panic_message(stderr: &str) -> String {
    stderr
        .lines()
        .skip_while(|line| !line.contains("panicked at"))
        .nth(1)
        .unwrap_or("a panic without a message")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_output_keeps_its_head_and_its_last_line() {
        let mut kept = Kept::default();
        for _ in 0..100 {
            kept.push(&[b'x'; 64 * 1024]);
        }
        kept.push(b"\nverdict: wrong: the end\n");
        let text = kept.text();
        assert!(text.len() < OUTPUT_HEAD + OUTPUT_TAIL + 100);
        assert!(text.contains("bytes of output left out"));
        assert!(text.ends_with("verdict: wrong: the end\n"));
    }

    #[test]
    fn exit_codes_and_lines_become_verdicts() {
        assert_eq!(verdict_from(Some(0), ""), Verdict::Passed);
        assert_eq!(
            verdict_from(Some(1), "noise\nverdict: wrong: 8 logins took 8.0×\n"),
            Verdict::Wrong("8 logins took 8.0×".into())
        );
        assert_eq!(
            verdict_from(Some(4), "verdict: blocked: …"),
            Verdict::Blocked
        );
        assert_eq!(
            verdict_from(Some(101), "thread 'main' panicked at src/x.rs:1:1:\nboom\n"),
            Verdict::Panicked("boom".into())
        );
        assert_eq!(
            verdict_from(Some(9), ""),
            Verdict::Crashed("exit code 9".into())
        );
    }
}
