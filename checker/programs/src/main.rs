//! Runs one program of the material (a solution, an exercise that compiles as shipped, or a
//! proof that compiles) by its path relative to the repository's root:
//!
//! ```text
//! material solutions/oauth-callback--scoped.rs
//! material --list
//! ```
//!
//! Each program's `main` runs its behaviour check and ends the process with the verdict's
//! exit code; the material tests run every program this way, each in its own process.

mod programs {
    include!(concat!(env!("OUT_DIR"), "/programs.rs"));
}

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(wanted) = std::env::args().nth(1) else {
        eprintln!("usage: material <path of a program> | --list");
        return ExitCode::from(64);
    };
    if wanted == "--list" {
        for (path, _) in programs::PROGRAMS {
            println!("{path}");
        }
        return ExitCode::SUCCESS;
    }
    match programs::PROGRAMS.iter().find(|(path, _)| *path == wanted) {
        Some((_, main)) => {
            main();
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("material: no program {wanted}; `material --list` shows them all");
            ExitCode::from(64)
        }
    }
}
