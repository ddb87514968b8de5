//! Runs a compiled program of the material in its own process, under a time limit, and reads
//! back the verdict its harness printed. The material tests and the learner's CLI both use it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

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
    run_watched(command, limit, &Watch::default())
}

/// [`run_within`], watched as [`capture_watched`] watches.
pub fn run_watched(command: Command, limit: Duration, watch: &Watch) -> Result<Run> {
    let finished = capture_watched(command, limit, watch)?;
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
    /// `None` if it was stopped at the time limit (or by its [`Watch::stop`]).
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Ends a command run by [`capture_watched`] before its limit, from another thread: the
/// book's server sets it when the page that asked for a Run hangs up.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    pub fn new() -> Stop {
        Stop::default()
    }

    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What [`capture_watched`] watches besides the time limit.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    /// Ends the command (and its process group) as soon as it is set.
    pub stop: Stop,
    /// A program that runs the command as a child subreaper: a binary whose `main` calls
    /// [`reaper_main`] when its first argument is [`REAPER_ARG`] (`book-server` does). With
    /// it, even the processes that left the command's process group (`setsid`, a daemon's
    /// double fork) are ended when the command ends. Linux only; elsewhere it is ignored.
    pub reaper: Option<PathBuf>,
    /// Pass what the command prints on stderr through to this process's stderr as it comes.
    pub show_stderr: bool,
}

/// How long the output of a command that has ended is still read: something that left its
/// process group may hold the pipes open, and is not waited for.
pub const DRAIN_GRACE: Duration = Duration::from_millis(500);

/// How long past its limit a command run under the reaper may take before it is killed from
/// here: the reaper stops the command at the limit itself, then ends what it left.
pub const REAPER_MARGIN: Duration = Duration::from_secs(2);

/// Runs `command` with no input to its end, or kills it at `limit`, and collects what it
/// printed. Both pipes are read on the side, so a chatty program cannot fill one and stall.
/// The command runs in a process group of its own, and the whole group is killed when the
/// command ends or at the limit, whichever comes first: `cargo` leaves no `rustc` behind, and
/// a program leaves none of its children. The output is read for at most [`DRAIN_GRACE`]
/// after that, so the call never takes much longer than `limit`.
pub fn capture(command: Command, limit: Duration) -> Result<Captured> {
    capture_watched(command, limit, &Watch::default())
}

/// [`capture`], also passing what the command prints on stderr through to this process's
/// stderr as it comes (cargo's progress, while a long build runs).
pub fn capture_showing_stderr(command: Command, limit: Duration) -> Result<Captured> {
    let watch = Watch {
        show_stderr: true,
        ..Watch::default()
    };
    capture_watched(command, limit, &watch)
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

/// [`capture`], ended early by `watch.stop`, and under `watch.reaper` when there is one.
pub fn capture_watched(command: Command, limit: Duration, watch: &Watch) -> Result<Captured> {
    let reaper = watch
        .reaper
        .as_deref()
        .filter(|_| cfg!(target_os = "linux"));
    let (mut command, backstop) = match reaper {
        Some(reaper) => (under_reaper(&command, reaper, limit), limit + REAPER_MARGIN),
        None => (command, limit),
    };
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let id = child.id();
    track_group(id);
    let stdout = read_in_background(child.stdout.take().context("stdout is piped")?, false);
    let stderr = read_in_background(
        child.stderr.take().context("stderr is piped")?,
        watch.show_stderr,
    );
    let ended = wait_unreaped(&mut child, backstop, &|| watch.stop.is_stopped());
    let ended = match ended {
        Ok(false) if reaper.is_some() => {
            // Stopped (or the reaper is past its own limit): the reaper ends the program and
            // what it left, then itself; what is still there after the margin is killed below.
            #[cfg(unix)]
            terminate(id);
            wait_unreaped(&mut child, REAPER_MARGIN, &|| false).map(|_| false)
        }
        ended => ended,
    };
    // The leader is not reaped yet, so the group's id is still this group's.
    kill_group(id);
    untrack_group(id);
    let ended = ended?;
    if !ended {
        child.kill().ok();
    }
    let status = child.wait().context("waiting for the command")?;
    let status = match ended {
        // The reaper ended the command at the limit with SIGKILL.
        true if reaper.is_some() && killed(&status) && started.elapsed() >= limit => None,
        true => Some(status),
        false => None,
    };
    let drained = Instant::now() + DRAIN_GRACE;
    Ok(Captured {
        status,
        stdout: stdout.text_by(drained),
        stderr: stderr.text_by(drained),
    })
}

fn killed(status: &ExitStatus) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::process::ExitStatusExt::signal(status) == Some(libc::SIGKILL)
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        false
    }
}

/// Waits until `child` has ended (without reaping it, where the system allows), `limit` has
/// passed or `stop` is set. Answers whether it ended by itself.
fn wait_unreaped(child: &mut Child, limit: Duration, stop: &dyn Fn() -> bool) -> Result<bool> {
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_millis(1);
    let exit = ExitNotice::open(child);
    loop {
        if has_ended(child)? {
            return Ok(true);
        }
        let now = Instant::now();
        if now >= deadline || stop() {
            return Ok(false);
        }
        // Woken at once when the child ends (where the system can say so), and at least
        // every 20 ms to look at `stop`.
        exit.wait(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// A way to sleep until a child ends: on Linux a pidfd, which becomes readable when the
/// process exits, so that its end is seen at once rather than at the next look.
struct ExitNotice {
    #[cfg(target_os = "linux")]
    pidfd: Option<std::os::fd::OwnedFd>,
}

impl ExitNotice {
    #[cfg(target_os = "linux")]
    fn open(child: &Child) -> ExitNotice {
        use std::os::fd::FromRawFd;
        let pid = libc::pid_t::try_from(child.id()).unwrap_or(0);
        // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        let pidfd = i32::try_from(fd)
            .ok()
            .filter(|fd| *fd >= 0)
            // SAFETY: the descriptor was just opened for us and is owned by nobody else.
            .map(|fd| unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) });
        ExitNotice { pidfd }
    }

    #[cfg(not(target_os = "linux"))]
    fn open(_child: &Child) -> ExitNotice {
        ExitNotice {}
    }

    /// Sleeps for `most`, or less if the child ends first.
    fn wait(&self, most: Duration) {
        #[cfg(target_os = "linux")]
        if let Some(pidfd) = &self.pidfd {
            use std::os::fd::AsRawFd;
            let mut poll = libc::pollfd {
                fd: pidfd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let millis = libc::c_int::try_from(most.as_millis().max(1)).unwrap_or(20);
            // SAFETY: one valid pollfd; poll only writes its revents.
            unsafe { libc::poll(&mut poll, 1, millis) };
            return;
        }
        std::thread::sleep(most);
    }
}

/// Whether `child` has ended. On Linux the ended child is left a zombie (`WNOWAIT`): its
/// process id, which is also its group's, cannot be given to another process until it is
/// reaped, so killing the group afterwards cannot reach anyone else's.
#[cfg(target_os = "linux")]
fn has_ended(child: &mut Child) -> Result<bool> {
    let pid = libc::id_t::from(child.id());
    loop {
        // SAFETY: waitid writes a siginfo_t, which is plain data that may start zeroed.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
        // SAFETY: `info` is a valid siginfo_t for waitid to fill.
        if unsafe { libc::waitid(libc::P_PID, pid, &mut info, flags) } == 0 {
            // SAFETY: after a successful waitid, si_pid is set (0 while the child runs).
            return Ok(unsafe { info.si_pid() } != 0);
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).context("waiting for a child process");
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn has_ended(child: &mut Child) -> Result<bool> {
    Ok(child.try_wait()?.is_some())
}

/// Sends SIGTERM to the process `pid`.
#[cfg(unix)]
fn terminate(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill has no memory effects.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
}

/// Sends SIGKILL to the process group `pgid` (where there are process groups).
fn kill_group(pgid: u32) {
    #[cfg(unix)]
    if let Ok(pgid) = libc::pid_t::try_from(pgid) {
        // SAFETY: kill has no memory effects; a group that is gone answers ESRCH.
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
    }
    #[cfg(not(unix))]
    let _ = pgid;
}

/// The first argument that makes a binary the reaper: `BINARY --reap-run MILLIS PROGRAM
/// [ARGS…]` (see [`reaper_main`]).
pub const REAPER_ARG: &str = "--reap-run";

/// `command`, run by `reaper` with `limit`: the same program, arguments, folder and
/// environment changes (a command that clears its environment is not supported).
fn under_reaper(command: &Command, reaper: &Path, limit: Duration) -> Command {
    let mut wrapped = Command::new(reaper);
    wrapped
        .arg(REAPER_ARG)
        .arg(limit.as_millis().to_string())
        .arg(command.get_program())
        .args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(name, value),
            None => wrapped.env_remove(name),
        };
    }
    wrapped
}

/// The reaper: `args` are what follows [`REAPER_ARG`] (MILLIS PROGRAM [ARGS…]). It runs the
/// program as a child subreaper would (`prctl(PR_SET_CHILD_SUBREAPER)`): every process the
/// program starts and leaves behind, even one that left its process group or session, becomes
/// the reaper's child when its parent ends, instead of init's. When the program ends, or at
/// the limit, the reaper kills the program's process group, then every child it has, again
/// and again, until it has none left; then it ends as the program ended (the same exit code,
/// or the same signal).
///
/// Why this and not only a process group: a group is left with one `setsid()` or
/// `setpgid()`, which daemons do, and then nothing finds the process again. Why not a
/// cgroup: creating one needs a delegated cgroup tree, which a reader's desktop session may
/// not give, and the subreaper needs no privilege at all.
#[cfg(target_os = "linux")]
pub fn reaper_main(args: impl Iterator<Item = std::ffi::OsString>) -> ! {
    match reap(args) {
        Ok(status) => mirror(status),
        Err(err) => {
            eprintln!("reaper: {err:#}");
            std::process::exit(125)
        }
    }
}

#[cfg(target_os = "linux")]
fn reap(mut args: impl Iterator<Item = std::ffi::OsString>) -> Result<ExitStatus> {
    use std::os::unix::process::CommandExt;

    let millis: u64 = args
        .next()
        .and_then(|m| m.to_str().and_then(|m| m.parse().ok()))
        .context("the reaper's first argument is its limit in milliseconds")?;
    let program = args.next().context("the reaper needs a program to run")?;
    // SAFETY: prctl with these arguments only sets a flag of this process.
    if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } != 0 {
        return Err(std::io::Error::last_os_error()).context("becoming a child subreaper");
    }
    // SIGTERM (from `capture_watched`, when the Run is given up) ends the wait early. Set
    // before the program starts, so that it is never missed (exec resets it in the program).
    let handler: extern "C" fn(libc::c_int) = on_sigterm;
    // SAFETY: the handler only stores into an atomic, which is async-signal-safe.
    unsafe { libc::signal(libc::SIGTERM, handler as libc::sighandler_t) };
    let mut command = Command::new(&program);
    command.args(args).process_group(0);
    // SAFETY: the closure makes one async-signal-safe system call: if the reaper is killed
    // (from outside, at its own backstop), the program is killed too.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command
        .spawn()
        .with_context(|| format!("starting {}", program.to_string_lossy()))?;
    let told = || TERMINATED.load(Ordering::SeqCst);
    wait_unreaped(&mut child, Duration::from_millis(millis), &told)?;
    kill_group(child.id());
    let status = child.wait().context("waiting for the program")?;
    end_every_child(Duration::from_secs(1));
    Ok(status)
}

#[cfg(target_os = "linux")]
static TERMINATED: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
extern "C" fn on_sigterm(_: libc::c_int) {
    TERMINATED.store(true, Ordering::SeqCst);
}

/// Kills every child of this process, and the children they leave to it, until it has none
/// (or `limit` has passed: a process stuck in the kernel cannot be killed).
#[cfg(target_os = "linux")]
fn end_every_child(limit: Duration) {
    let deadline = Instant::now() + limit;
    let me = std::process::id();
    while Instant::now() < deadline {
        let children = children_of(me);
        for &pid in &children {
            if let Ok(pid) = libc::pid_t::try_from(pid) {
                // SAFETY: kill has no memory effects.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
        let mut status = 0;
        let flags = if children.is_empty() {
            libc::WNOHANG
        } else {
            0
        };
        // SAFETY: `status` is a valid int for waitpid to write.
        let reaped = unsafe { libc::waitpid(-1, &mut status, flags) };
        if reaped == -1 {
            match std::io::Error::last_os_error().raw_os_error() {
                Some(libc::EINTR) => continue,
                // No child left.
                _ => return,
            }
        }
        if reaped == 0 {
            // A child not seen in the scan (its parent was ending): look again.
            std::thread::sleep(Duration::from_millis(1));
            continue;
        }
        // Reap every other child that has ended too before scanning again: fifty children
        // take one scan, not fifty.
        // SAFETY: as above.
        while unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) } > 0 {}
    }
}

/// The processes whose parent is `parent`, from `/proc`.
#[cfg(target_os = "linux")]
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| parent_in_stat(&stat))
                == Some(parent)
        })
        .collect()
}

/// The parent's id in a `/proc/PID/stat` line: `PID (NAME) STATE PPID …`, where NAME may
/// hold spaces and parentheses.
fn parent_in_stat(stat: &str) -> Option<u32> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// Ends this process as `status` says the program ended.
#[cfg(target_os = "linux")]
fn mirror(status: ExitStatus) -> ! {
    use std::os::unix::process::ExitStatusExt;
    if let Some(signal) = status.signal() {
        // SAFETY: restoring the default action and raising the signal end this process
        // the way the program ended; nothing is left to clean up.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
        std::process::exit(128 + signal);
    }
    std::process::exit(status.code().unwrap_or(125))
}

/// How much of each pipe [`capture`] keeps: its first bytes, then its last ones. A program
/// that prints without end still ends at its limit, with bounded memory, and its verdict
/// line (the last) is kept.
pub const OUTPUT_HEAD: usize = 768 * 1024;
pub const OUTPUT_TAIL: usize = 256 * 1024;

/// A pipe read on its own thread into bounded memory.
struct Reader {
    kept: Arc<Mutex<Kept>>,
    done: std::sync::mpsc::Receiver<()>,
}

impl Reader {
    /// What was read: all of it if the pipe closes by `deadline`, else what came so far
    /// (the thread goes on reading, and ends when the pipe closes).
    fn text_by(self, deadline: Instant) -> String {
        let left = deadline.saturating_duration_since(Instant::now());
        let _ = self.done.recv_timeout(left);
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.text()
    }
}

/// Reads `pipe` on its own thread, passing what it reads on to this process's stderr too
/// when `show` is set.
fn read_in_background(mut pipe: impl Read + Send + 'static, show: bool) -> Reader {
    let kept = Arc::new(Mutex::new(Kept::default()));
    let (finished, done) = std::sync::mpsc::channel();
    let filled = kept.clone();
    std::thread::spawn(move || {
        let mut buffer = [0; 64 * 1024];
        loop {
            match pipe.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    if show {
                        use std::io::Write;
                        let _ = std::io::stderr().write_all(&buffer[..n]);
                    }
                    filled
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .push(&buffer[..n]);
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = finished.send(());
    });
    Reader { kept, done }
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

    fn text(&self) -> String {
        let mut bytes = self.head.clone();
        if self.left_out > 0 {
            let note = format!("\n… ({} bytes of output left out) …\n", self.left_out);
            bytes.extend_from_slice(note.as_bytes());
        }
        bytes.extend(&self.tail);
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
    fn the_parent_is_read_after_the_name() {
        assert_eq!(parent_in_stat("42 (sleep) S 7 42 1 0"), Some(7));
        assert_eq!(parent_in_stat("42 (a) b (c) R 9 42 1"), Some(9));
        assert_eq!(parent_in_stat("42 (x"), None);
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
