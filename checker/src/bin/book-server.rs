//! The book's server, started by `cargo xtask book`: serves the built book on
//! http://127.0.0.1:PORT, where every block of an exercise or a solution can be edited and
//! run on this machine (see `checker::playground`). With `--mdbook`, it also rebuilds the
//! book whenever its sources change.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use notify_debouncer_mini::new_debouncer;
use notify_debouncer_mini::notify::RecursiveMode;

use checker::playground::runner::{Limits, Runner};
use checker::playground::server;

#[derive(Parser)]
#[command(about = "Serve the built book, with Run buttons that compile on this machine")]
struct Cli {
    /// The built book (mdBook's output folder).
    #[arg(long)]
    book: PathBuf,
    /// The port on 127.0.0.1; 0 picks a free one (the first line printed names it).
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Rebuild the book into --book with this mdBook whenever its sources change.
    #[arg(long)]
    mdbook: Option<PathBuf>,
    /// Build in this scratch working copy instead of target/run-in-page (for benchmarks).
    #[arg(long, hide = true)]
    scratch: Option<PathBuf>,
}

fn main() -> ExitCode {
    // `book-server --reap-run MILLIS PROGRAM…`: the reaper each Run's program runs under.
    #[cfg(target_os = "linux")]
    {
        let mut args = std::env::args_os().skip(1);
        if args
            .next()
            .is_some_and(|first| first == checker::harness::run::REAPER_ARG)
        {
            checker::harness::run::reaper_main(args);
        }
    }
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("book-server: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let root = checker::material::manifest::repository_root()?;
    let book = std::path::absolute(&cli.book)?;
    let runner = match &cli.scratch {
        Some(dir) => Runner::try_open_at(&root, dir, Limits::default())?
            .with_context(|| format!("{} is in use by another server", dir.display()))?,
        None => Runner::open(&root)?,
    };
    let reaper = std::env::current_exe().context("finding the book's server's own binary")?;
    let runner = Arc::new(runner.with_reaper(reaper));
    let runtime = tokio::runtime::Runtime::new()?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", cli.port)))
        .with_context(|| {
            format!(
                "listening on 127.0.0.1:{} (is the book already served? `cargo xtask book \
                 --port N` picks another port)",
                cli.port
            )
        })?;
    let address = listener.local_addr()?;
    println!("Serving the book on http://{address}/ (Ctrl-C stops it)");
    let _watching = match &cli.mdbook {
        Some(mdbook) => Some(rebuild_on_change(&root, mdbook, &book)?),
        None => None,
    };
    let run: server::RunFn = Arc::new(move |request, stop| runner.run_until(&request, &stop));
    runtime.block_on(server::serve(listener, &book, server::new_secret(), run))
}

type Watcher = notify_debouncer_mini::Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>;

/// Rebuilds the book with `mdbook build -d BOOK` after every change to its sources.
fn rebuild_on_change(root: &Path, mdbook: &Path, book: &Path) -> Result<Watcher> {
    let (changed, changes) = std::sync::mpsc::channel();
    let mut debouncer = new_debouncer(
        Duration::from_millis(300),
        move |result: notify_debouncer_mini::DebounceEventResult| {
            if result.is_ok() {
                let _ = changed.send(());
            }
        },
    )?;
    for source in SOURCES {
        let path = root.join(source);
        let mode = if path.is_dir() {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        debouncer
            .watcher()
            .watch(&path, mode)
            .with_context(|| format!("watching {source}"))?;
    }
    let (root, mdbook, book) = (root.to_owned(), mdbook.to_owned(), book.to_owned());
    std::thread::spawn(move || {
        let mut last = fingerprint(&root);
        while changes.recv().is_ok() {
            while changes.try_recv().is_ok() {}
            // mdBook reading the sources is an event too: rebuild only when one changed.
            let now = fingerprint(&root);
            if now == last {
                continue;
            }
            last = now;
            let started = Instant::now();
            let built = Command::new(&mdbook)
                .arg("build")
                .arg("-d")
                .arg(&book)
                .current_dir(&root)
                .output();
            match built {
                Ok(out) if out.status.success() => println!(
                    "Rebuilt the book in {:.1} s: reload the page.",
                    started.elapsed().as_secs_f64()
                ),
                Ok(out) => eprintln!(
                    "The book did not build:\n{}",
                    String::from_utf8_lossy(&out.stderr).trim_end()
                ),
                Err(err) => eprintln!("Could not run {}: {err}", mdbook.display()),
            }
        }
    });
    Ok(debouncer)
}

/// What the book is built from.
const SOURCES: [&str; 6] = [
    "src",
    "exercises",
    "solutions",
    "proofs",
    "theme",
    "book.toml",
];

/// The size and time of change of every file the book is built from (build outputs aside).
fn fingerprint(root: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = SOURCES.iter().map(|source| root.join(source)).collect();
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if path.file_name().is_some_and(|name| name == "target") {
                continue;
            }
            let entries = std::fs::read_dir(&path).into_iter().flatten().flatten();
            stack.extend(entries.map(|entry| entry.path()));
        } else {
            found.push((path, meta.len(), meta.modified().ok()));
        }
    }
    found.sort();
    found
}
