//! Run it in the page: the server behind `cargo xtask book`. It serves the built book and,
//! on the same loopback origin, an endpoint that compiles and runs a block of the book on
//! this machine, with the pinned toolchain and the material's crates, and answers with what
//! the compiler said, what `cargo workshop explain` makes of it, and the behaviour check's
//! verdict.
//!
//! * [`source`]: where a block comes from, and its edited region put back into its file.
//! * [`runner`]: builds that file in a scratch working copy (`target/run-in-page/`, never
//!   `exercises/`, `solutions/` or the learner's `workshop/`) and runs its check under the
//!   harness's watchdog.
//! * [`server`]: the HTTP side: the book's files (tower-http's `ServeDir`), the secret each
//!   start makes, the Host and Origin checks, exact requests, the limits (request size, one
//!   build at a time, a page that hangs up stops its build) and the log.
//!
//! Every program a Run starts runs under the reaper of [`crate::harness::run`]: it and all
//! it starts end when it ends or its limit passes.
//!
//! This room may use every other room but the lessons: it builds on the workshop's
//! machinery, as `cargo workshop check` does.

pub mod runner;
pub mod server;
pub mod source;
