//! `cargo explain-send`: why a future in your own project is not `Send`, in plain words.
//!
//! Install it once from the book's repository (`cargo install --path . --bin
//! cargo-explain-send`), then run `cargo explain-send` in any cargo project. It runs `cargo
//! check` with your toolchain, dependencies and options, prints the compiler's own output,
//! then one diagnosis per value that spoils a future: which value, of which type, alive at
//! which `.await`, the innermost type that is not `Send` and the chain to it, the fix, and
//! the page of the book that teaches it. It never changes your project.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::Parser;
use serde_json::json;

use checker::project::{self, Request};

/// Where the book is published, from book.toml when the tool was built.
const BOOK_TOML: &str = include_str!("../../../book.toml");
/// The book's pages and their titles, for a link when neither a published nor a built book
/// can be pointed at.
const SUMMARY: &str = include_str!("../../../src/SUMMARY.md");
/// The checkout the tool was built from, where `cargo xtask book` builds the book.
const CHECKOUT: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Parser)]
#[command(
    name = "cargo explain-send",
    bin_name = "cargo explain-send",
    about = "Why is this future not Send? Checks your project and explains each value that spoils a future.",
    after_help = checker::explain::JSON_HELP
)]
struct Cli {
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
    /// Package(s) to check.
    #[arg(short, long, value_name = "SPEC")]
    package: Vec<String>,
    /// Check every package of the workspace.
    #[arg(long)]
    workspace: bool,
    /// Check only this package's library.
    #[arg(long)]
    lib: bool,
    /// Check only the named binary.
    #[arg(long, value_name = "NAME")]
    bin: Vec<String>,
    /// Check only the named example.
    #[arg(long, value_name = "NAME")]
    example: Vec<String>,
    /// Check only the named test target.
    #[arg(long, value_name = "NAME")]
    test: Vec<String>,
    /// Check every target (lib, bins, tests, examples, benches).
    #[arg(long)]
    all_targets: bool,
    /// Features to activate (comma or space separated).
    #[arg(short = 'F', long, value_name = "FEATURES")]
    features: Vec<String>,
    #[arg(long)]
    all_features: bool,
    #[arg(long)]
    no_default_features: bool,
    /// Print the diagnoses as JSON (see below).
    #[arg(long)]
    json: bool,
    /// Stop a check that takes longer than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = project::DEFAULT_LIMIT.as_secs())]
    timeout: u64,
}

impl Cli {
    fn cargo_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        let mut named = |flag: &str, values: &[String]| {
            for value in values {
                args.push(flag.to_owned());
                args.push(value.clone());
            }
        };
        named("--package", &self.package);
        named("--bin", &self.bin);
        named("--example", &self.example);
        named("--test", &self.test);
        named("--features", &self.features);
        for (on, flag) in [
            (self.workspace, "--workspace"),
            (self.lib, "--lib"),
            (self.all_targets, "--all-targets"),
            (self.all_features, "--all-features"),
            (self.no_default_features, "--no-default-features"),
        ] {
            if on {
                args.push(flag.to_owned());
            }
        }
        args
    }
}

/// A link to a page (relative to the book's `src/`) that works from any project: the
/// published book, else the book built in the checkout the tool came from, else the page's
/// title in the book.
fn page_link(page: &str) -> String {
    let html = page.trim_end_matches(".md");
    if let Some(url) = checker::material::book::published_url_in(BOOK_TOML) {
        return format!("{url}/{html}.html");
    }
    let built = std::path::Path::new(CHECKOUT)
        .join("book")
        .join(format!("{html}.html"));
    if built.is_file() {
        return format!("file://{}", built.display());
    }
    let title = SUMMARY.lines().find_map(|line| {
        let (_, rest) = line.split_once('[')?;
        let (title, rest) = rest.split_once("](")?;
        (rest.trim_end().trim_end_matches(')') == page).then(|| title.to_owned())
    });
    match title {
        Some(title) => {
            format!("the page \"{title}\" of Cannot Be Sent (`cargo xtask book` in its repository)")
        }
        None => "Cannot Be Sent (`cargo xtask book` in its repository)".to_owned(),
    }
}

/// On Ctrl-C (or a polite kill), stop the cargo this tool runs and remove its temporary
/// copies before leaving: cargo runs in a process group of its own, which the terminal's
/// Ctrl-C does not reach.
fn stop_cleanly_on_interrupt() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            checker::harness::run::stop_running();
            project::copy::Scratch::remove_all();
            eprintln!("\ninterrupted: cargo stopped, temporary copies removed");
            std::process::exit(128 + signal);
        }
    });
}

fn main() -> ExitCode {
    stop_cleanly_on_interrupt();
    // As a cargo subcommand, it is called as `cargo-explain-send explain-send …`.
    let args = std::env::args_os()
        .enumerate()
        .filter(|(i, arg)| !(*i == 1 && arg == "explain-send"))
        .map(|(_, arg)| arg);
    let cli = Cli::parse_from(args);
    match run(&cli) {
        Ok(code) => code,
        Err(err) => {
            if cli.json {
                println!(
                    "{}",
                    json!({"compiles": false, "diagnoses": [], "other_error": format!("{err:#}")})
                );
            } else {
                eprintln!("error: {err:#}");
            }
            ExitCode::from(3)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode> {
    let request = Request {
        dir: std::env::current_dir()?,
        manifest_path: cli.manifest_path.clone(),
        cargo_args: cli.cargo_args(),
        limit: Duration::from_secs(cli.timeout),
    };
    let explained = project::explain(&request)?;
    if cli.json {
        println!("{}", serde_json::to_string_pretty(&explained)?);
    } else {
        for text in &explained.rendered {
            eprint!("{text}");
        }
        if explained.compiles {
            println!("It compiles: no future here fails to be `Send`.");
        } else if explained.diagnoses.is_empty() {
            println!(
                "It does not compile, but not because a future is not `Send`. The first error:\n\n{}",
                explained
                    .other_error
                    .as_deref()
                    .unwrap_or("(no message)")
                    .trim_end()
            );
        } else {
            for d in &explained.diagnoses {
                let place = d.value_line.map_or(String::new(), |l| format!(":{l}"));
                println!("\n{}{place}:", d.file);
                print!("{}", d.to_text());
                println!("  More: {}", page_link(&d.page));
            }
        }
        for note in &explained.notes {
            println!("\nnote: {note}");
        }
    }
    Ok(ExitCode::from(checker::explain::exit_code(
        explained.compiles,
        !explained.diagnoses.is_empty(),
    )))
}
