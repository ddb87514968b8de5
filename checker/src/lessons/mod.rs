//! The simulated worlds of the book's stories: an identity provider, a proxy's upstreams, a
//! session store, a mail server and so on. Each module offers the types an exercise's code
//! works with and a `check` that drives that code and returns a verdict.
//!
//! Lessons use only [`crate::harness`]: nothing here knows about the learner's CLI, the
//! manifest or the book.

pub mod accounts;
pub mod alerts;
pub mod background;
pub mod balances;
pub mod cache;
pub mod crawler;
pub mod exports;
pub mod jobs;
pub mod ledger;
pub mod limiter;
pub mod links;
pub mod mailer;
pub mod metrics;
pub mod moderation;
pub mod oauth;
pub mod pricing;
pub mod proxy;
pub mod quotes;
pub mod sessions;
pub mod spans;
pub mod storage;
pub mod uploads;
pub mod warmer;
pub mod webhooks;
