//! The CPU time a run used: its own and that of every process it started and waited for,
//! as Linux counts them in /proc/self/stat. On a machine with N cores no order of the
//! run's stages can take less than this time divided by N, so it says whether a run is
//! slow because of the work it does or because of how that work is laid out.

use std::process::Command;

/// User and system seconds of this process and of the children it has waited for (with
/// theirs), or `None` where /proc is not there to ask.
pub fn used_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    ticks_used(&stat).map(|ticks| ticks as f64 / ticks_per_second())
}

/// utime + stime + cutime + cstime, from the text of /proc/<pid>/stat. The command name
/// (in parentheses) may hold spaces, so fields are counted from its closing parenthesis:
/// the state is field 3, utime 14, stime 15, cutime 16 and cstime 17.
fn ticks_used(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    (11..=14).map(|i| fields.get(i)?.parse::<u64>().ok()).sum()
}

/// The kernel's clock ticks per second (almost always 100).
fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|ticks| *ticks > 0.0)
        .unwrap_or(100.0)
}

/// The cores this machine gives the run.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_times_are_read_after_the_command_name() {
        // pid (comm with ") spaces") state ppid pgrp session tty tpgid flags minflt
        // cminflt majflt cmajflt utime stime cutime cstime priority ...
        let stat = "42 (a) b c) S 1 42 42 0 -1 4194304 10 20 0 0 300 40 5000 600 20 0 1";
        assert_eq!(ticks_used(stat), Some(300 + 40 + 5000 + 600));
    }

    #[test]
    fn a_short_line_gives_nothing() {
        assert_eq!(ticks_used("42 (a) S 1 2"), None);
    }

    #[test]
    fn this_process_has_used_some_time() {
        assert!(used_seconds().is_some_and(|s| s >= 0.0));
    }
}
