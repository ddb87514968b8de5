//! The command-line client: queues the jobs named on the command line and reports.

use std::sync::Arc;

use jobq::Queue;
use jobq::stats::Stats;

fn main() {
    let queue = Queue::default();
    let stats = Arc::new(Stats::default());
    let names: Vec<String> = std::env::args().skip(1).collect();
    let reporter = {
        let stats = stats.clone();
        std::thread::spawn(move || stats.done())
    };
    for name in &names {
        queue.push(name);
    }
    let done = reporter.join().unwrap_or_default();
    println!("queued {} jobs, {done} done", names.len());
}
