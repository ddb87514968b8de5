//! The checker: the harness that every exercise and solution calls, the manifest that
//! describes the exercises, and the learner's CLI. One room per concern, and dependencies
//! point one way (`checker/tests/rooms.rs` keeps them so):
//!
//! | room | what it is for | may use |
//! |---|---|---|
//! | [`harness`] | verdicts, the paused clock, the watchdog, in-memory HTTP, running a program under a limit | nothing of ours |
//! | [`lessons`] | the simulated world of each story, which exercises and solutions call | `harness` |
//! | [`explain`] | the compiler's diagnostics turned into kinds, shapes, culprits, fixes and pages | nothing of ours |
//! | [`material`] | the manifest, the book's rules and preprocessor, builds | `explain`, `harness` |
//! | [`project`] | explaining a reader's own cargo project (`cargo explain-send`) | `explain`, `harness` |
//! | [`workshop`] | the learner's CLI | everything above but `lessons` |
//! | [`playground`] | the book's server: Run in the page, on this machine | everything above but `lessons` |
//!
//! Exercise files end with a short `main` that hands the code under test to a lesson (for
//! example [`oauth::check`]); that runs a behaviour check under [`harness::run`] and ends
//! the process with a verdict. The lessons are re-exported here so that exercises keep
//! short paths: `use checker::oauth::TokenClient;`.

pub mod explain;
pub mod harness;
pub mod lessons;
pub mod material;
pub mod playground;
pub mod project;
pub mod workshop;

pub use lessons::{
    accounts, alerts, background, balances, cache, crawler, exports, jobs, ledger, limiter, links,
    mailer, metrics, moderation, oauth, pricing, proxy, quotes, sessions, spans, storage, uploads,
    warmer, webhooks,
};
