//! `cargo workshop watch`: re-checks the current exercise every time it is saved, and
//! takes single keys: `n` next, `h` hint, `l` list, `r` re-check, `q` quit.
//!
//! Saves are noticed with `notify` (debounced, so an editor's burst of writes makes one
//! check). With `--manual`, or where watching fails, `r` (or Enter) re-checks instead. When
//! standard input is not a terminal, keys are read as lines, one command per line.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Sender};
use std::time::{Duration, Instant};

use anyhow::Result;
use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use crossterm::terminal;
use notify_debouncer_mini::new_debouncer;
use notify_debouncer_mini::notify::RecursiveMode;

use crate::material::manifest::Exercise;
use crate::workshop::Workshop;
use crate::workshop::commands::{self, check_and_print, next_unsolved, number};
use crate::workshop::progress::Progress;

/// How long a burst of file events is gathered before one check starts.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

enum Event {
    Saved(Vec<PathBuf>, Instant),
    Key(char),
    Quit,
}

pub fn watch(workshop: &Workshop, manual: bool) -> Result<ExitCode> {
    let progress = Progress::load(&workshop.dir)?;
    let Some(mut current) = next_unsolved(workshop, &progress) else {
        println!("Every exercise is solved. `cargo workshop check N` checks one again.");
        return Ok(ExitCode::SUCCESS);
    };
    workshop.ensure_attempt(current)?;

    let (events, inbox) = mpsc::channel();
    // Kept alive for as long as the loop runs; dropping it stops the watching.
    let _watcher = if manual {
        None
    } else {
        match start_watching(workshop, events.clone()) {
            Ok(watcher) => Some(watcher),
            Err(err) => {
                println!("Could not watch files ({err:#}); press r to re-check.");
                None
            }
        }
    };
    let raw = RawKeys::start(events.clone());

    let mut last_checked = std::fs::read(workshop.attempt_path(current)).ok();
    let mut last_modified = modified(&workshop.attempt_path(current));
    raw.cooked(|| {
        let _ = check_and_print(workshop, current);
        print_keys(current, manual);
    });
    while let Ok(event) = inbox.recv() {
        match event {
            Event::Quit | Event::Key('q') => break,
            Event::Saved(paths, saved_at) => {
                let path = workshop.attempt_path(current);
                // Reading a file is an event too (the check itself reads it), so look at
                // its modification time first, which costs no read; and since editors write
                // in several steps, or save without a change, check only new text.
                let modified = modified(&path);
                if !paths.contains(&path) || modified == last_modified {
                    continue;
                }
                last_modified = modified;
                let text = std::fs::read(&path).ok();
                if text != last_checked {
                    last_checked = text;
                    raw.cooked(|| {
                        println!(
                            "\n── saved; checking {} ms after the save ──",
                            saved_at.elapsed().as_millis()
                        );
                        let _ = check_and_print(workshop, current);
                        print_keys(current, manual);
                    });
                }
            }
            Event::Key('r') | Event::Key('\n') => raw.cooked(|| {
                let _ = check_and_print(workshop, current);
                print_keys(current, manual);
            }),
            Event::Key('h') => raw.cooked(|| {
                let _ = commands::hint(workshop, &current.id);
            }),
            Event::Key('l') => raw.cooked(|| {
                let _ = commands::list(workshop);
            }),
            Event::Key('n') => {
                let progress = Progress::load(&workshop.dir)?;
                match next_unsolved(workshop, &progress) {
                    Some(next) => {
                        current = next;
                        workshop.ensure_attempt(current)?;
                        last_checked = std::fs::read(workshop.attempt_path(current)).ok();
                        last_modified = modified(&workshop.attempt_path(current));
                        raw.cooked(|| {
                            let _ = check_and_print(workshop, current);
                            print_keys(current, manual);
                        });
                    }
                    None => raw.cooked(|| println!("\nEvery exercise is solved. Well done!")),
                }
            }
            Event::Key(_) => {}
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn modified(path: &std::path::Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn print_keys(current: &Exercise, manual: bool) {
    let recheck = if manual {
        "r re-check"
    } else {
        "save to re-check · r re-check"
    };
    println!(
        "\n[{} {}] {recheck} · n next · h hint · l list · q quit",
        number(current),
        current.title
    );
}

fn start_watching(
    workshop: &Workshop,
    events: Sender<Event>,
) -> Result<notify_debouncer_mini::Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>> {
    let mut debouncer = new_debouncer(
        DEBOUNCE,
        move |result: notify_debouncer_mini::DebounceEventResult| {
            if let Ok(changes) = result {
                let paths = changes.into_iter().map(|change| change.path).collect();
                let _ = events.send(Event::Saved(paths, Instant::now()));
            }
        },
    )?;
    debouncer
        .watcher()
        .watch(&workshop.dir.join("exercises"), RecursiveMode::NonRecursive)?;
    Ok(debouncer)
}

/// Single keys from a terminal in raw mode, or lines from a pipe.
struct RawKeys {
    raw: bool,
}

impl RawKeys {
    fn start(events: Sender<Event>) -> RawKeys {
        let raw = std::io::stdin().is_terminal() && terminal::enable_raw_mode().is_ok();
        if raw {
            std::thread::spawn(move || read_keys(events));
        } else {
            std::thread::spawn(move || read_lines(events));
        }
        RawKeys { raw }
    }

    /// Runs `print` with the terminal in its normal mode, so lines end where they should.
    fn cooked(&self, print: impl FnOnce()) {
        if self.raw {
            let _ = terminal::disable_raw_mode();
        }
        print();
        if self.raw {
            let _ = terminal::enable_raw_mode();
        }
    }
}

impl Drop for RawKeys {
    fn drop(&mut self) {
        if self.raw {
            let _ = terminal::disable_raw_mode();
        }
    }
}

fn read_keys(events: Sender<Event>) {
    loop {
        let Ok(event) = event::read() else {
            let _ = events.send(Event::Quit);
            return;
        };
        let TermEvent::Key(KeyEvent {
            code, modifiers, ..
        }) = event
        else {
            continue;
        };
        let sent = match code {
            KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => {
                events.send(Event::Quit)
            }
            KeyCode::Esc => events.send(Event::Quit),
            KeyCode::Enter => events.send(Event::Key('\n')),
            KeyCode::Char(c) => events.send(Event::Key(c.to_ascii_lowercase())),
            _ => Ok(()),
        };
        if sent.is_err() {
            return;
        }
    }
}

fn read_lines(events: Sender<Event>) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let key = line.trim().chars().next().unwrap_or('\n');
        if events.send(Event::Key(key.to_ascii_lowercase())).is_err() {
            return;
        }
    }
    let _ = events.send(Event::Quit);
}
