//! Maintainer automation: `cargo xtask <command>` (the alias is in .cargo/config.toml).
//!
//! * `book`: install the pinned mdBook tools if needed, build the book, serve it locally.
//! * `test`: everything CI runs (formatting, clippy, the material tests, the book).
//! * `bless`: re-record the pinned compiler errors after a deliberate change.
//! * `tools`: install the pinned mdBook tools, and say where they are.
//! * `bench`: measure build, test and check times, and record them in benchmarks/.
//! * `kit`: pack the offline workshop kit (and, with `--check`, prove it works offline).

mod bench;
mod bench_tests;
mod bless;
mod book;
mod browser;
mod command;
mod cpu;
mod kit;
mod lab;
mod test;
mod toolchain;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Build, serve and test the book and its exercises", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book and serve it on http://127.0.0.1:PORT, rebuilding on every change.
    Book {
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Build into book/ and stop, without serving.
        #[arg(long)]
        build_only: bool,
    },
    /// Run every check that CI runs, or only the stages named (`cargo xtask test book
    /// explain`); it ends with a table of the stages and their times.
    Test {
        /// Stages to run: toolchain, fmt, workflows, clippy, test, lab, book, browser, kit,
        /// or a part of `test`: explain, workshop, material. All of them when none is named.
        stages: Vec<String>,
        /// One exercise (its id, as in exercises/exercises.toml): its pinned error, its
        /// programs, explain on it and its wrong fixes. Alone, only these run.
        #[arg(long, value_name = "ID")]
        exercise: Option<String>,
    },
    /// Re-record the pinned `.stderr` files from the current compiler, and show what changed.
    Bless,
    /// Install the pinned mdBook tools (if missing) and print where they are.
    Tools,
    /// Pack the offline workshop kit: the repository, the built book, vendored crates.
    Kit {
        /// Then unpack it and check an exercise with the network off.
        #[arg(long)]
        check: bool,
        /// The book in book/ was just built from this tree: pack it as it is.
        #[arg(long, hide = true)]
        book_built: bool,
    },
    /// Measure and record (benchmarks/README.md lists them): build, tests, workshop,
    /// explain, editor, run, tools.
    Bench {
        what: String,
        /// For `tests`: measure this revision too, first, in the same session.
        #[arg(long)]
        before: Option<String>,
    },
    /// Measure the proxy under load and the lock costs; rewrite lab/results/ and the charts.
    Lab {
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Book { port, build_only } => book::run(port, build_only),
        Command::Test { stages, exercise } => test::run(&stages, exercise.as_deref()),
        Command::Bless => bless::run(),
        Command::Tools => tools::ensure_all().map(|tools| tools.report()),
        Command::Bench { what, before } => bench::run(&what, before.as_deref()),
        Command::Kit { check, book_built } => kit::run(check, book_built),
        Command::Lab { runs } => lab::run(runs),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The repository's root: xtask/ sits right below it.
fn root() -> PathBuf {
    let xtask = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().map(PathBuf::from).unwrap_or(xtask)
}
