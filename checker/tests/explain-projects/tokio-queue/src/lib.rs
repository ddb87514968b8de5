//! jobq: named jobs, queued and run by a pool of workers.

pub mod job;
pub mod queue;
pub mod stats;
pub mod worker;

pub use job::{Job, schedule};
pub use queue::Queue;
