//! The checker: the harness that every exercise and solution calls, the manifest that
//! describes the exercises, and the learner's CLI.
//!
//! Exercise files end with a short `main` that hands the code under test to one of the
//! lesson modules here (for example [`oauth::check`]); that runs a behaviour check under
//! [`harness::run`] and ends the process with a verdict.

pub mod accounts;
pub mod blocking;
pub mod book;
pub mod cache;
pub mod cargo_build;
pub mod clock;
pub mod explain;
pub mod harness;
pub mod http;
pub mod jobs;
pub mod limiter;
pub mod mailer;
pub mod manifest;
pub mod metrics;
pub mod oauth;
pub mod pricing;
pub mod proxy;
pub mod run;
pub mod sessions;
pub mod spans;
pub mod trybuild_flags;
pub mod workshop;
