//! The machine a measurement was taken on. Numbers from a benchmark mean little without it.

use std::fs;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Machine {
    /// Logical CPUs this process may use.
    pub cores: usize,
    pub cpu_model: String,
    pub memory_gib: f64,
    pub os: String,
    /// The compiler that built the lab.
    pub rustc: String,
    /// When the measurement started, UTC.
    pub date: String,
    /// `/proc/loadavg` at the start (1, 5 and 15 minutes): above about 0.5 on this many
    /// cores, something else was competing for the CPU and the numbers are suspect.
    pub load_average: [f64; 3],
}

impl Machine {
    /// Describes this machine, now.
    pub fn here() -> Self {
        Self {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model: cpu_model().unwrap_or_else(|| std::env::consts::ARCH.to_owned()),
            memory_gib: memory_gib().unwrap_or(0.0),
            os: os().unwrap_or_else(|| std::env::consts::OS.to_owned()),
            rustc: env!("LAB_RUSTC_VERSION").to_owned(),
            date: jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            load_average: load_average_from_env()
                .or_else(load_average)
                .unwrap_or_default(),
        }
    }

    /// The 1-minute load average was low enough for the numbers to be trusted.
    pub fn was_idle(&self) -> bool {
        self.load_average[0] < IDLE_LOAD
    }
}

/// The 1-minute load average below which we call the machine idle.
pub const IDLE_LOAD: f64 = 0.5;

// Linux files; elsewhere these are absent and the fallbacks above apply.

fn cpu_model() -> Option<String> {
    let info = fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, model)| model.trim().to_owned())
}

fn memory_gib() -> Option<f64> {
    let info = fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|line| line.starts_with("MemTotal:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kib / (1024.0 * 1024.0) * 10.0).round() / 10.0)
}

fn os() -> Option<String> {
    let release = fs::read_to_string("/proc/sys/kernel/osrelease").ok()?;
    Some(format!("Linux {}", release.trim()))
}

/// `cargo xtask lab` sets this to `/proc/loadavg` as it was before its first benchmark:
/// the lab's own benchmarks raise the load average, so reading it later would blame the
/// machine for the lab's own work.
pub const LOAD_AVERAGE_ENV: &str = "LAB_LOAD_AVERAGE";

fn load_average_from_env() -> Option<[f64; 3]> {
    parse_load_average(&std::env::var(LOAD_AVERAGE_ENV).ok()?)
}

/// The first three fields of `/proc/loadavg`.
fn parse_load_average(text: &str) -> Option<[f64; 3]> {
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}

/// The load averages from `/proc/loadavg`.
pub fn load_average() -> Option<[f64; 3]> {
    parse_load_average(&fs::read_to_string("/proc/loadavg").ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_averages_of_proc_loadavg() {
        assert_eq!(
            parse_load_average("0.39 1.70 2.30 2/81 11396\n"),
            Some([0.39, 1.70, 2.30])
        );
        assert_eq!(parse_load_average("0.39"), None);
    }
}
