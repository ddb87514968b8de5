//! `cargo workshop`: the learner's tool. Shows progress, checks attempts (does it compile,
//! and does it behave), watches files, gives hints, resets exercises safely, shows
//! solutions, and explains any code's "cannot be sent between threads safely" error.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use checker::workshop::Workshop;
use checker::workshop::commands;

#[derive(Parser)]
#[command(
    name = "cargo workshop",
    about = "Work through the exercises: progress, checks, hints, solutions",
    after_help = "Your copies of the exercises are in workshop/exercises/ (never committed). \
                  Start with `cargo workshop` to see where you are."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Keep the working copy somewhere other than workshop/ (used by benchmarks and tests).
    #[arg(long, global = true, env = "CARGO_WORKSHOP_DIR", hide = true)]
    workshop_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Show every exercise with its status, and the next one to do (the default).
    List,
    /// Check an attempt: does it compile, and does its behaviour check pass?
    Check {
        /// Exercise number or id; the next unsolved one if left out.
        exercise: Option<String>,
    },
    /// Re-check the current exercise every time you save it.
    Watch {
        /// Do not watch files: press r (or Enter) to re-check. For systems where file
        /// watching does not work, such as some WSL setups.
        #[arg(long)]
        manual: bool,
    },
    /// Show the next hint for an exercise (one more each time).
    Hint { exercise: String },
    /// Restore an exercise as shipped; your version is kept in workshop/backups/.
    Reset { exercise: String },
    /// Show the reference solutions, and how your file differs from them.
    Solution {
        exercise: String,
        /// Show them even though the exercise is not solved yet.
        #[arg(long)]
        force: bool,
    },
    /// Explain why a future is not `Send`, in any .rs file or cargo project. Exits with 0 if
    /// it compiles, 1 if it found such a future, 3 if it fails to compile for another reason.
    #[command(after_help = checker::explain::JSON_HELP)]
    Explain {
        path: PathBuf,
        /// Print the diagnoses as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check that this machine is ready: toolchain, offline dependencies, one exercise.
    Doctor,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = checker::material::manifest::repository_root()?;
    let workshop = match &cli.workshop_dir {
        Some(dir) => Workshop::open_at(&root, dir)?,
        None => Workshop::open(&root)?,
    };
    match cli.command.unwrap_or(Command::List) {
        Command::List => commands::list(&workshop),
        Command::Check { exercise } => commands::check(&workshop, exercise.as_deref()),
        Command::Watch { manual } => checker::workshop::watch::watch(&workshop, manual),
        Command::Hint { exercise } => commands::hint(&workshop, &exercise),
        Command::Reset { exercise } => commands::reset(&workshop, &exercise),
        Command::Solution { exercise, force } => commands::solution(&workshop, &exercise, force),
        Command::Explain { path, json } => {
            let path = if path.is_absolute() {
                path
            } else {
                std::env::current_dir()?.join(path)
            };
            // Bad input (a missing or non-UTF-8 file, a project cargo cannot read) is a
            // verdict of its own: exit 3, with the reason, as JSON when asked.
            match commands::explain(&workshop, &path, json) {
                Ok(code) => Ok(code),
                Err(err) => {
                    if json {
                        let out = serde_json::json!({
                            "compiles": false,
                            "diagnoses": [],
                            "other_error": format!("{err:#}"),
                        });
                        println!("{out}");
                    } else {
                        eprintln!("error: {err:#}");
                    }
                    Ok(ExitCode::from(3))
                }
            }
        }
        Command::Doctor => commands::doctor(&workshop),
    }
}
