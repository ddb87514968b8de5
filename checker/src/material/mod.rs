//! The material's own machinery: the manifest that describes every exercise, the rules that
//! keep the book honest and what its preprocessor renders, and the builds that the tests
//! and the learner's tool share.
//!
//! It may use [`crate::explain`] (the vocabulary of kinds and shapes, the fix and page for
//! each) and [`crate::harness`] (running a program under a limit); never the lessons or the
//! learner's CLI.

pub mod attempt_first;
pub mod book;
pub mod cargo_build;
pub mod figures;
pub mod manifest;
pub mod toolchain;
pub mod trybuild_flags;
pub mod verdicts;
