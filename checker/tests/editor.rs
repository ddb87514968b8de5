//! explain in an editor: the real rust-analyzer (the toolchain's component), driven over
//! LSP as an editor drives it, with `check.overrideCommand` set as the workshop's
//! `.vscode/settings.json` sets it. On save it runs `cargo explain-send`, and the
//! diagnostics it publishes must carry the diagnosis: its text on the error, on the right
//! line, with related locations at the value and at the `.await`. After a fix and a save,
//! the error is gone.
//!
//! Two projects: a learner's copy of the first exercise in a working copy made by
//! `cargo workshop`'s code, and the multi-file axum service of `explain-projects/`, whose
//! error is in routes.rs and whose value is in handlers/books.rs. What the editor shows for
//! the exercise is pinned in `checker/tests/editor/oauth-callback.txt`, which the book
//! includes (`TRYBUILD=overwrite` re-records it, as `cargo xtask bless` does).

use checker::material::verdicts::{Inputs, replay_or_run_test};
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use checker::workshop::{EDITOR_CHECK_COMMAND, Workshop};
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The pinned toolchain's rust-analyzer.
fn rust_analyzer() -> PathBuf {
    Command::new("rustup")
        .args(["which", "rust-analyzer"])
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim().to_owned()))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "rust-analyzer is not installed for the pinned toolchain: \
                 `rustup component add rust-analyzer` (rust-toolchain.toml lists it; \
                 `cargo xtask test` adds it)"
            )
        })
}

/// Runs a check unless it passed before with the same inputs: see
/// `checker::material::verdicts`. No check here reads an exercise's hints.
fn checked(name: &str, check: impl FnOnce()) {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    let inputs = INPUTS.get_or_init(|| {
        Inputs::new(&root())
            .material_but_hints()
            .paths(&[
                "checker/tests/editor",
                "checker/tests/explain-projects/axum-service",
            ])
            .program(Path::new(env!("CARGO_BIN_EXE_cargo-explain-send")))
            .program(&rust_analyzer())
    });
    replay_or_run_test(&format!("editor::{name}"), inputs, check);
}

/// How long rust-analyzer may take to load a project and check it, on a busy machine.
const PATIENCE: Duration = Duration::from_secs(240);

/// A rust-analyzer process and the messages it sends.
struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: u64,
    /// The latest diagnostics published for each file.
    published: BTreeMap<String, Vec<Value>>,
    /// How many times diagnostics were published for each file.
    publications: BTreeMap<String, usize>,
}

impl Server {
    fn start(project: &Path, check_command: &[String], path_first: Option<&Path>) -> Server {
        let rust_analyzer = rust_analyzer();
        let mut command = Command::new(rust_analyzer);
        command
            .current_dir(project)
            .env("CARGO_TARGET_DIR", root().join("target"))
            .env(
                "CANNOT_BE_SENT_CACHE",
                std::env::temp_dir().join("editor-cache"),
            )
            // Pages by their titles: the same text on every machine.
            .env("CANNOT_BE_SENT_BOOK_URL", "none")
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(dir) = path_first {
            let path = std::env::var_os("PATH").unwrap_or_default();
            let mut paths = vec![dir.to_owned()];
            paths.extend(std::env::split_paths(&path));
            command.env("PATH", std::env::join_paths(paths).expect("a PATH"));
        }
        let mut child = command.spawn().expect("rust-analyzer starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(message) = serde_json::from_slice::<Value>(&body)
                    && send.send(message).is_err()
                {
                    return;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            incoming,
            next_id: 1,
            published: BTreeMap::new(),
            publications: BTreeMap::new(),
        };
        let root_uri = uri(project);
        server.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "project"}],
                "capabilities": {
                    "textDocument": {
                        "publishDiagnostics": {"relatedInformation": true},
                        "synchronization": {"didSave": true},
                    },
                },
                "initializationOptions": {
                    "check": {"overrideCommand": check_command},
                    "checkOnSave": true,
                    // Only the check matters here: no build scripts, proc-macros or indexing.
                    "cargo": {"buildScripts": {"enable": false}},
                    "procMacro": {"enable": false},
                    "cachePriming": {"enable": false},
                },
            }),
        );
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("written");
        self.stdin.flush().expect("flushed");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its answer, keeping what else arrives.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let started = Instant::now();
        loop {
            let message = self.receive(PATIENCE.saturating_sub(started.elapsed()));
            if message["id"] == id && message.get("method").is_none() {
                return message["result"].clone();
            }
        }
    }

    /// The next message, answering the server's own requests and noting diagnostics.
    fn receive(&mut self, within: Duration) -> Value {
        let message = self
            .incoming
            .recv_timeout(within)
            .unwrap_or_else(|_| panic!("rust-analyzer said nothing for {within:?}"));
        if message.get("id").is_some() && message.get("method").is_some() {
            // A request of the server's (progress, configuration): a plain answer.
            let id = message["id"].clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
        if message["method"] == "textDocument/publishDiagnostics" {
            let file = message["params"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let list = message["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            *self.publications.entry(file.clone()).or_default() += 1;
            self.published.insert(file, list);
        }
        message
    }

    fn open(&mut self, file: &Path) {
        let text = fs::read_to_string(file).expect("the file reads");
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(file), "languageId": "rust", "version": 1, "text": text}}),
        );
    }

    /// Writes `text` into `file` as an editor saves it.
    fn save(&mut self, file: &Path, text: &str, version: u64) {
        fs::write(file, text).expect("saved");
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(file), "version": version},
                   "contentChanges": [{"text": text}]}),
        );
        self.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri(file)}}),
        );
    }

    /// Waits until diagnostics for `file` satisfy `done`, and returns them.
    fn wait_for(&mut self, file: &Path, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let key = uri(file);
        let started = Instant::now();
        loop {
            if let Some(list) = self.published.get(&key)
                && done(list)
            {
                return list.clone();
            }
            let left = PATIENCE.saturating_sub(started.elapsed());
            assert!(
                !left.is_zero(),
                "no such diagnostics for {key} within {PATIENCE:?}; last: {:#?}",
                self.published.get(&key)
            );
            self.receive(left);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The check's own diagnostics (rustc's, through the check command); rust-analyzer's
/// native ones (a proc-macro it did not expand, say) come and go with its analysis.
fn from_check(list: &[Value]) -> impl Iterator<Item = &Value> {
    list.iter().filter(|d| d["source"] == "rustc")
}

fn errors(list: &[Value]) -> Vec<&Value> {
    from_check(list).filter(|d| d["severity"] == 1).collect()
}

fn explained(list: &[Value]) -> bool {
    errors(list).iter().any(|d| {
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("explain:"))
    })
}

/// What an editor shows for these diagnostics, as text: each one's line (1-based),
/// severity and message, and its related locations.
fn as_shown(list: &[Value], base: &Path) -> String {
    let base = uri(base);
    let mut lines = Vec::new();
    for d in from_check(list) {
        let severity = match d["severity"].as_u64() {
            Some(1) => "error",
            Some(2) => "warning",
            Some(3) => "info",
            _ => "hint",
        };
        let line = d["range"]["start"]["line"].as_u64().unwrap_or_default() + 1;
        let mut text = format!(
            "line {line}, {severity}: {}",
            d["message"].as_str().unwrap_or_default()
        );
        for related in d["relatedInformation"].as_array().into_iter().flatten() {
            let at = related["location"]["uri"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches(&base)
                .trim_start_matches('/');
            let line = related["location"]["range"]["start"]["line"]
                .as_u64()
                .unwrap_or_default()
                + 1;
            text.push_str(&format!(
                "\n    related, {at}:{line}: {}",
                related["message"].as_str().unwrap_or_default()
            ));
        }
        lines.push(text);
    }
    lines.sort();
    lines.join("\n\n") + "\n"
}

#[test]
fn the_workshop_s_editor_settings_show_the_diagnosis_and_clear_it_when_fixed() {
    checked(
        "the_workshop_s_editor_settings_show_the_diagnosis_and_clear_it_when_fixed",
        || {
            let dir = root().join("target/test-workshops/editor");
            let _ = fs::remove_dir_all(&dir);
            let workshop = Workshop::open_at(&root(), &dir).expect("the working copy opens");
            let exercise = workshop
                .manifest
                .exercises
                .first()
                .expect("a first exercise");
            workshop
                .ensure_attempt(exercise)
                .expect("the learner's copy is made");
            let file = workshop.attempt_path(exercise);
            // The command the workshop's own settings give rust-analyzer.
            let settings: Value = serde_json::from_str(
                &fs::read_to_string(dir.join(".vscode/settings.json"))
                    .expect("the settings are there"),
            )
            .expect("JSON");
            let command: Vec<String> = settings["rust-analyzer.check.overrideCommand"]
                .as_array()
                .expect("an override command")
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            assert_eq!(command, EDITOR_CHECK_COMMAND);

            let mut server = Server::start(&dir, &command, None);
            server.open(&file);
            let broken = fs::read_to_string(&file).expect("reads");
            server.save(&file, &broken, 2);
            let shown = server.wait_for(&file, explained);

            // The error, on the line the pinned error names, with the value and the `.await` as
            // related locations.
            let pinned =
                fs::read_to_string(exercise.stderr(&root())).expect("the pinned error reads");
            let error_line: u64 = pinned
                .lines()
                .find_map(|l| l.trim().strip_prefix("--> "))
                .and_then(|at| at.split(':').nth(1))
                .and_then(|n| n.parse().ok())
                .expect("the pinned error names a line");
            let error = errors(&shown)
                .into_iter()
                .find(|d| {
                    d["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("explain:"))
                })
                .expect("an explained error");
            assert_eq!(
                error["range"]["start"]["line"].as_u64().map(|l| l + 1),
                Some(error_line),
                "{error:#}"
            );
            let related: Vec<&str> = error["relatedInformation"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["message"].as_str())
                .collect();
            assert!(
                related
                    .iter()
                    .any(|m| m.contains("is still alive at this `.await`")),
                "{related:?}"
            );
            assert!(
                related.iter().any(|m| m.contains("is not `Send`")),
                "{related:?}"
            );

            // What the reader sees, pinned for the book.
            let text = as_shown(&shown, &dir);
            let pinned_view = root().join("checker/tests/editor/oauth-callback.txt");
            if std::env::var_os("TRYBUILD").is_some_and(|v| v == "overwrite") {
                fs::create_dir_all(pinned_view.parent().expect("a folder")).expect("made");
                fs::write(&pinned_view, &text).expect("written");
            } else {
                let expected = fs::read_to_string(&pinned_view).unwrap_or_default();
                assert_eq!(
                    text, expected,
                    "what the editor shows changed; re-record with `cargo xtask bless`"
                );
            }

            // Fixed as the book's first solution fixes it: the error is gone.
            let solution = exercise.solutions.first().expect("a solution");
            let fixed = fs::read_to_string(root().join("solutions").join(&solution.file))
                .expect("the solution reads");
            server.save(&file, &fixed, 3);
            server.wait_for(&file, |list| errors(list).is_empty());
        },
    );
}

#[test]
fn a_multi_file_service_shows_the_value_where_it_is() {
    checked("a_multi_file_service_shows_the_value_where_it_is", || {
        let pristine = root().join("checker/tests/explain-projects/axum-service");
        // The same folder as explain_projects.rs uses: cargo names a path package's build by
        // its path inside the workspace, so two copies of one project at different places
        // would share (and spoil) each other's builds in the one target folder.
        let dir = std::env::temp_dir().join("explain-send-projects/axum-service");
        let _ = fs::remove_dir_all(&dir);
        copy_dir(&pristine, &dir);
        fs::copy(
            root().join("rust-toolchain.toml"),
            dir.join("rust-toolchain.toml"),
        )
        .expect("copied");
        checker::material::cargo_build::lock_like_material(&root(), &dir).expect("a lockfile");
        let handler = dir.join("src/handlers/books.rs");
        let routes = dir.join("src/routes.rs");
        let good = fs::read_to_string(&handler).expect("reads");
        let broken = good.replace(
            "    let book = state.db.insert(&new.title).await?;\n    state.cache.lock().unwrap().remove(&book.id);",
            "    let mut cache = state.cache.lock().unwrap();\n    let book = state.db.insert(&new.title).await?;\n    cache.remove(&book.id);",
        );
        assert_ne!(good, broken, "the mistake is made");

        // As a user of an installed `cargo explain-send` sets it up.
        let tool = PathBuf::from(env!("CARGO_BIN_EXE_cargo-explain-send"));
        let command: Vec<String> = EDITOR_CHECK_COMMAND
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let mut server = Server::start(&dir, &command, tool.parent());
        server.open(&handler);
        server.save(&handler, &broken, 2);
        let at_route = server.wait_for(&routes, explained);
        let error = errors(&at_route)
            .into_iter()
            .find(|d| {
                d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("explain:"))
            })
            .expect("an explained error");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains("`cache`"), "{message}");
        assert!(message.contains("future of `create`"), "{message}");
        // The value's line in the handler's file is shown there too, as a hint.
        let line_of = |text: &str, needle: &str| {
            text.lines()
                .position(|l| l.contains(needle))
                .map(|i| i as u64)
        };
        let value_line = line_of(&broken, "let mut cache").expect("the value's line");
        let in_handler = server.wait_for(&handler, |list| {
            list.iter()
                .any(|d| d["range"]["start"]["line"].as_u64() == Some(value_line))
        });
        assert!(
            in_handler.iter().any(|d| d["message"]
                .as_str()
                .is_some_and(|m| m.contains("`cache` is not `Send`"))),
            "{in_handler:#?}"
        );

        server.save(&handler, &good, 3);
        server.wait_for(&routes, |list| errors(list).is_empty());
    });
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("made");
    for entry in fs::read_dir(from).expect("reads").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else if entry.file_name() != "mistakes.toml" && entry.file_name() != "blind.toml" {
            fs::copy(&path, to.join(entry.file_name())).expect("copied");
        }
    }
}

/// Save-to-diagnostics time through rust-analyzer, with plain `cargo check` and with
/// `cargo explain-send` as the check command, on the first exercise (no recheck needed).
/// `cargo xtask bench editor` runs it and records the result in `benchmarks/editor.json`.
#[test]
#[ignore = "a measurement: cargo xtask bench editor"]
fn save_to_diagnostics_timings() {
    const SAVES: usize = 5;
    let dir = root().join("target/test-workshops/editor-timings");
    let _ = fs::remove_dir_all(&dir);
    let workshop = Workshop::open_at(&root(), &dir).expect("the working copy opens");
    let exercise = workshop.manifest.exercises.first().expect("an exercise");
    workshop.ensure_attempt(exercise).expect("a copy");
    let file = workshop.attempt_path(exercise);
    let broken = fs::read_to_string(&file).expect("reads");
    // The error's line (0-based, as LSP counts) in the file as shipped.
    let error_line: u64 = fs::read_to_string(exercise.stderr(&root()))
        .expect("the pinned error reads")
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|at| at.split(':').nth(1))
        .and_then(|n| n.parse::<u64>().ok())
        .expect("the pinned error names a line")
        - 1;
    let plain: Vec<String> = [
        "cargo",
        "check",
        "--message-format=json-diagnostic-rendered-ansi",
        "--all-targets",
        "--keep-going",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let explain: Vec<String> = EDITOR_CHECK_COMMAND
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut results = Vec::new();
    for (name, command, wanted) in [
        ("cargo check", plain, "future cannot be sent"),
        ("cargo explain-send", explain, "explain:"),
    ] {
        let mut server = Server::start(&dir, &command, None);
        server.open(&file);
        let mut times = Vec::new();
        // One save to warm up, then the measured ones.
        for version in 0..=SAVES {
            let key = uri(&file);
            // Each save moves the code down by one more line, so the error of this very
            // check is told from the last one's by its line.
            let text = format!("{}{broken}", "\n".repeat(version + 1));
            let line = error_line + version as u64 + 1;
            let started = Instant::now();
            server.save(&file, &text, 2 + version as u64);
            loop {
                let shown = server.published.get(&key).cloned().unwrap_or_default();
                let has = errors(&shown).iter().any(|d| {
                    d["range"]["start"]["line"].as_u64() == Some(line)
                        && d["message"].as_str().is_some_and(|m| m.contains(wanted))
                });
                if has {
                    break;
                }
                server.receive(PATIENCE);
            }
            if version > 0 {
                times.push(started.elapsed().as_secs_f64());
            }
        }
        times.sort_by(f64::total_cmp);
        results.push(json!({
            "check_command": name,
            "median_seconds": (times[times.len() / 2] * 100.0).round() / 100.0,
            "fastest_seconds": (times[0] * 100.0).round() / 100.0,
            "saves": SAVES,
        }));
    }
    let ratio = results[1]["median_seconds"].as_f64().unwrap_or_default()
        / results[0]["median_seconds"].as_f64().unwrap_or(1.0);
    let report =
        json!({"exercise": exercise.id, "runs": results, "ratio": (ratio * 100.0).round() / 100.0});
    println!("{report:#}");
    if let Some(out) = std::env::var_os("EDITOR_TIMINGS_OUT") {
        fs::write(out, format!("{report:#}\n")).expect("written");
    }
}
