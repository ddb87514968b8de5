//! The lab: the story's proxy as a real server, a load generator to measure it with, lock
//! micro-benchmarks, and the charts and tables the book's "Measuring" chapter shows.
//!
//! * [`proxy`]: the six ways of sharing the route table, one module each.
//! * [`downstream`]: the slow service behind the proxy.
//! * [`load`]: keep-alive HTTP/1.1 clients, bounded in time, with latency histograms.
//! * [`experiment`]: the standard set of measurements, and one point of it.
//! * [`analysis`]: the theory (1/D, C/D, the CPU's ceiling) against the measurements.
//! * [`report`] and [`charts`]: the files under `lab/results/` and the book's SVG charts.

pub mod analysis;
pub mod charts;
pub mod downstream;
pub mod experiment;
pub mod load;
pub mod locks;
pub mod machine;
pub mod proxy;
pub mod report;
pub mod server;
