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
    #[arg(long, conflicts_with = "message_format")]
    json: bool,
    /// `json`, `json-diagnostic-rendered-ansi`, `json-diagnostic-short`,
    /// `json-render-diagnostics`: print cargo's own messages, each diagnostic explain
    /// diagnoses with the diagnosis added as `help` children (for editors: set
    /// rust-analyzer's `check.overrideCommand` to `["cargo", "explain-send",
    /// "--message-format=json-diagnostic-rendered-ansi", "--workspace", "--all-targets"]`).
    /// `human` and `short` print the explanation as text.
    #[arg(long, value_name = "FMT")]
    message_format: Vec<String>,
    /// Keep checking the other packages when one fails (passed to cargo).
    #[arg(long)]
    keep_going: bool,
    /// Where cargo builds (passed to cargo).
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// Check for this target triple (passed to cargo).
    #[arg(long, value_name = "TRIPLE")]
    target: Vec<String>,
    /// Passed to cargo.
    #[arg(long)]
    locked: bool,
    /// Passed to cargo.
    #[arg(long)]
    frozen: bool,
    /// Passed to cargo.
    #[arg(long)]
    offline: bool,
    /// Passed to cargo.
    #[arg(short, long)]
    quiet: bool,
    /// Passed to cargo: `auto`, `always` or `never`.
    #[arg(long, value_name = "WHEN")]
    color: Option<String>,
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
        named("--target", &self.target);
        if let Some(dir) = &self.target_dir {
            args.push("--target-dir".to_owned());
            args.push(dir.display().to_string());
        }
        if let Some(when) = &self.color {
            args.push(format!("--color={when}"));
        }
        for (on, flag) in [
            (self.workspace, "--workspace"),
            (self.lib, "--lib"),
            (self.all_targets, "--all-targets"),
            (self.all_features, "--all-features"),
            (self.no_default_features, "--no-default-features"),
            (self.keep_going, "--keep-going"),
            (self.locked, "--locked"),
            (self.frozen, "--frozen"),
            (self.offline, "--offline"),
            (self.quiet, "--quiet"),
        ] {
            if on {
                args.push(flag.to_owned());
            }
        }
        args
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
    let outcome = run(&cli);
    if checker::harness::run::stopping() {
        // Interrupted: the signal's thread cleans up and ends the process.
        loop {
            std::thread::park();
        }
    }
    match outcome {
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
    // cargo's own messages, with the diagnoses in them: for editors and other tools.
    let format = cli.message_format.join(",");
    if format.starts_with("json") {
        let code = project::stream::stream(&request, &format, &mut std::io::stdout().lock())?;
        return Ok(ExitCode::from(u8::try_from(code).unwrap_or(101)));
    }
    let explained = project::explain(&request)?;
    if cli.json {
        println!("{}", serde_json::to_string_pretty(&explained)?);
    } else {
        for text in &explained.rendered {
            eprint!("{text}");
        }
        if explained.compiles {
            println!("It compiles: no future here fails to be `Send`.");
        } else if explained.diagnoses.is_empty() && project::may_be_about_send(&explained.notes) {
            // The notes say what is known, and that `Send` may be the cause.
            println!(
                "It does not compile, and the compiler names no value that is not `Send`. \
                 The first error:\n\n{}",
                explained
                    .other_error
                    .as_deref()
                    .unwrap_or("(no message)")
                    .trim_end()
            );
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
            // One bad field spoils every future that holds its type: explain it once, then
            // list the other places.
            let mut told: Vec<(&checker::explain::FieldFix, Vec<String>)> = Vec::new();
            for d in &explained.diagnoses {
                let place = d.value_line.map_or(String::new(), |l| format!(":{l}"));
                if let Some(field) = &d.field {
                    if let Some((_, others)) = told.iter_mut().find(|(f, _)| *f == field) {
                        let value = d
                            .binding
                            .as_deref()
                            .map_or(String::new(), |b| format!(" `{b}`"));
                        others.push(format!("{}{place}{value}", d.file));
                        continue;
                    }
                    told.push((field, Vec::new()));
                }
                println!("\n{}{place}:", d.file);
                print!("{}", d.to_text());
                println!("  More: {}", project::links::page_link(&d.page));
            }
            for (field, others) in told.iter().filter(|(_, o)| !o.is_empty()) {
                println!(
                    "\nThe same field, `{}` of `{}`, spoils {} more place(s):",
                    field.field,
                    field.owner.name,
                    others.len()
                );
                for other in others {
                    println!("  {other}");
                }
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
