//! Run in the page, without a browser: the book's server refuses every request that is not
//! from the book's own pages (with a stand-in runner that counts what reaches it), and the
//! real runner answers a block of an exercise with the compiler's error and the diagnosis,
//! and its fix with a passing check. The browser test (`xtask/js/browser.mjs`) does the same
//! from a real page.

use checker::material::verdicts::{Inputs, MATERIAL, replay_or_run_test};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use checker::harness::run::{self, Stop, Watch};
use checker::playground::runner::{Block, Ending, Limits, RunRequest, RunResponse, Runner};
use checker::playground::server::{self, MAX_BODY, RUN_PATH, SECRET_HEADER};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a check unless it passed before with the same inputs: see
/// `checker::material::verdicts`.
fn checked(name: &str, check: impl FnOnce()) {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    let inputs = INPUTS.get_or_init(|| {
        Inputs::new(&root())
            .paths(MATERIAL)
            .paths(&["src", "theme", "book.toml"])
            .program(std::path::Path::new(env!("CARGO_BIN_EXE_book-server")))
    });
    replay_or_run_test(&format!("playground::{name}"), inputs, check);
}

/// The region `name` of a file of the repository, as the book shows it.
fn region(file: &str, name: &str) -> String {
    let text = std::fs::read_to_string(root().join(file)).expect("the file is readable");
    let start = text
        .find(&format!("// ANCHOR: {name}\n"))
        .expect("the region starts")
        + format!("// ANCHOR: {name}\n").len();
    let end = text[start..]
        .find(&format!("// ANCHOR_END: {name}"))
        .expect("the region ends");
    text[start..start + end].to_owned()
}

struct Served {
    port: u16,
    secret: String,
    runs: Arc<AtomicUsize>,
    /// Runs that were told to stop (their page hung up).
    stopped: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Served {
    fn log(&self) -> Vec<String> {
        self.log.lock().expect("the log").clone()
    }
}

/// The server on a free port, serving a one-page book, with a runner that takes `delay`
/// and counts its runs. A request whose code is `wait` waits up to 20 s for its stop.
fn serve(delay: Duration) -> Served {
    let book = root().join("target/test-playground-book");
    std::fs::create_dir_all(&book).expect("the book's folder");
    std::fs::write(
        book.join("index.html"),
        "<html><head><title>t</title></head><body>hi</body></html>",
    )
    .expect("the page is written");
    std::fs::create_dir_all(book.join("css")).expect("a folder");
    std::fs::write(book.join("css/book.css"), "body { color: black }\n").expect("a stylesheet");
    let runs = Arc::new(AtomicUsize::new(0));
    let stopped = Arc::new(AtomicUsize::new(0));
    let log = Arc::new(Mutex::new(Vec::new()));
    let (counted, told) = (runs.clone(), stopped.clone());
    let run: server::RunFn = Arc::new(move |request: RunRequest, stop: Stop| {
        counted.fetch_add(1, Ordering::SeqCst);
        if request.code.as_deref() == Some("wait") {
            let waited = Instant::now();
            while !stop.is_stopped() && waited.elapsed() < Duration::from_secs(20) {
                std::thread::sleep(Duration::from_millis(10));
            }
            if stop.is_stopped() {
                told.fetch_add(1, Ordering::SeqCst);
            }
        }
        std::thread::sleep(delay);
        RunResponse::not_run("a stand-in")
    });
    let lines = log.clone();
    let kept = log.clone();
    let log: server::LogFn = Arc::new(move |line| lines.lock().expect("the log").push(line));
    let secret = server::new_secret();
    let given = secret.clone();
    let (bound, port) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a free port");
            bound
                .send(listener.local_addr().expect("an address").port())
                .expect("the test waits");
            server::serve_logged(listener, &book, given, run, log)
                .await
                .expect("the server runs");
        });
    });
    Served {
        port: port.recv().expect("the server starts"),
        secret,
        runs,
        stopped,
        log: kept,
    }
}

/// Sends one raw HTTP/1.1 request; returns the status and the body.
fn send(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server listens");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ));
    // A refused body may be left unread: the answer still comes.
    let _ = stream.write_all(request.as_bytes());
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_owned();
    (status, body)
}

#[test]
fn the_server_answers_only_the_books_own_pages() {
    checked("the_server_answers_only_the_books_own_pages", || {
        let served = serve(Duration::ZERO);
        let host = &format!("127.0.0.1:{}", served.port)[..];
        let origin = &format!("http://{host}")[..];
        let body = r#"{"code": "fn main() {}"}"#;
        let json = ("content-type", "application/json");
        let secret = (SECRET_HEADER, served.secret.as_str());

        let (status, page) = send(served.port, "GET", "/", &[("host", host)], "");
        assert_eq!(status, 200);
        assert!(page.contains(&format!("content=\"{}\"", served.secret)));

        let foreign_host = &format!("evil.example:{}", served.port)[..];
        let foreign_origin = &format!("http://{foreign_host}")[..];
        let refused = [
            (
                "no secret",
                vec![("host", host), ("origin", origin), json],
                403,
            ),
            (
                "a wrong secret",
                vec![
                    ("host", host),
                    ("origin", origin),
                    json,
                    (SECRET_HEADER, "00"),
                ],
                403,
            ),
            (
                "a foreign Origin",
                vec![
                    ("host", host),
                    ("origin", "http://evil.example"),
                    json,
                    secret,
                ],
                403,
            ),
            (
                "another local port",
                vec![
                    ("host", host),
                    ("origin", "http://127.0.0.1:1"),
                    json,
                    secret,
                ],
                403,
            ),
            ("no Origin", vec![("host", host), json, secret], 403),
            (
                "a foreign Host",
                vec![
                    ("host", foreign_host),
                    ("origin", foreign_origin),
                    json,
                    secret,
                ],
                403,
            ),
            (
                "another site's fetch",
                vec![
                    ("host", host),
                    ("origin", origin),
                    json,
                    secret,
                    ("sec-fetch-site", "cross-site"),
                ],
                403,
            ),
            (
                "a form's body",
                vec![
                    ("host", host),
                    ("origin", origin),
                    ("content-type", "text/plain"),
                    secret,
                ],
                415,
            ),
        ];
        for (what, headers, wanted) in &refused {
            let (status, text) = send(served.port, "POST", RUN_PATH, headers, body);
            assert_eq!(status, *wanted, "a request with {what}: {text}");
        }
        let large = format!(r#"{{"code": "{}"}}"#, "x".repeat(MAX_BODY + 1));
        let good = [("host", host), ("origin", origin), json, secret];
        assert_eq!(send(served.port, "POST", RUN_PATH, &good, &large).0, 413);
        let (status, page) = send(served.port, "GET", "/", &[("host", foreign_host)], "");
        assert_eq!(status, 403, "a page for a foreign Host");
        assert!(!page.contains(&served.secret));
        assert_eq!(send(served.port, "OPTIONS", RUN_PATH, &good, "").0, 405);
        assert_eq!(send(served.port, "GET", "/../Cargo.toml", &good, "").0, 404);
        assert_eq!(
            served.runs.load(Ordering::SeqCst),
            0,
            "a refused request ran"
        );

        let (status, answer) = send(served.port, "POST", RUN_PATH, &good, body);
        assert_eq!(status, 200, "{answer}");
        assert!(answer.contains("a stand-in"));
        assert_eq!(served.runs.load(Ordering::SeqCst), 1);

        // One line per refusal and per Run: the time, the page, what was asked, how it ended.
        let log = served.log();
        let refusals = log
            .iter()
            .filter(|line| line.starts_with("refused: "))
            .count();
        assert_eq!(refusals, refused.len() + 4, "{log:#?}");
        assert!(
            log.iter()
                .any(|line| line.contains(" POST /__run: 403 ") && line.ends_with(" ms")),
            "{log:#?}"
        );
        let run = log.iter().find(|line| line.starts_with("run 1: "));
        assert!(
            run.is_some_and(|line| line.contains(" a snippet: not-run in ")),
            "{log:#?}"
        );
    });
}

#[test]
fn exact_requests_only() {
    checked("exact_requests_only", || {
        let served = serve(Duration::ZERO);
        let host = &format!("127.0.0.1:{}", served.port)[..];
        let origin = &format!("http://{host}")[..];
        let body = r#"{"code": "fn main() {}"}"#;
        let secret = (SECRET_HEADER, served.secret.as_str());
        let with_type = |kind| {
            vec![
                ("host", host),
                ("origin", origin),
                ("content-type", kind),
                secret,
            ]
        };

        for kind in [
            "application/jsonfoo",
            "application/json-seq",
            "application/json; charset=latin1",
            "application/json, text/plain",
            "text/plain; application/json",
        ] {
            let (status, text) = send(served.port, "POST", RUN_PATH, &with_type(kind), body);
            assert_eq!(status, 415, "Content-Type: {kind}: {text}");
        }
        let two_types = [
            ("host", host),
            ("origin", origin),
            ("content-type", "application/json"),
            ("content-type", "text/plain"),
            secret,
        ];
        assert_eq!(send(served.port, "POST", RUN_PATH, &two_types, body).0, 415);
        let two_hosts = [
            ("host", host),
            ("host", "evil.example"),
            ("origin", origin),
            ("content-type", "application/json"),
            secret,
        ];
        assert_eq!(send(served.port, "POST", RUN_PATH, &two_hosts, body).0, 400);
        assert_eq!(send(served.port, "GET", "/", &two_hosts, "").0, 400);
        let two_hosts_reversed = [("host", "evil.example"), ("host", host)];
        assert_eq!(
            send(served.port, "GET", "/", &two_hosts_reversed, "").0,
            400
        );
        // Absolute-form targets, even naming this server, and the asterisk form.
        for target in [
            format!("http://evil.example{RUN_PATH}"),
            format!("http://{host}{RUN_PATH}"),
        ] {
            let good = with_type("application/json");
            let (status, text) = send(served.port, "POST", &target, &good, body);
            assert_eq!(status, 400, "POST {target}: {text}");
        }
        let (status, page) = send(
            served.port,
            "GET",
            "http://evil.example/",
            &[("host", host)],
            "",
        );
        assert_eq!(status, 400, "an absolute-form GET");
        assert!(!page.contains(&served.secret));
        assert_eq!(
            send(served.port, "OPTIONS", "*", &[("host", host)], "").0,
            400
        );
        assert_eq!(
            served.runs.load(Ordering::SeqCst),
            0,
            "a refused request ran"
        );

        for kind in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
        ] {
            let (status, text) = send(served.port, "POST", RUN_PATH, &with_type(kind), body);
            assert_eq!(status, 200, "Content-Type: {kind}: {text}");
        }
    });
}

#[test]
fn a_client_that_hangs_up_stops_its_build() {
    checked("a_client_that_hangs_up_stops_its_build", || {
        let served = serve(Duration::ZERO);
        let host = format!("127.0.0.1:{}", served.port);
        let body = r#"{"code": "wait"}"#;
        let mut stream =
            TcpStream::connect(("127.0.0.1", served.port)).expect("the server listens");
        let request = format!(
            "POST {RUN_PATH} HTTP/1.1\r\nhost: {host}\r\norigin: http://{host}\r\n\
             content-type: application/json\r\n{SECRET_HEADER}: {}\r\nreferer: http://{host}/a.html\r\n\
             content-length: {}\r\n\r\n{body}",
            served.secret,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .expect("the request is sent");
        let waited = Instant::now();
        while served.runs.load(Ordering::SeqCst) == 0 {
            assert!(waited.elapsed() < Duration::from_secs(10), "the run starts");
            std::thread::sleep(Duration::from_millis(10));
        }
        drop(stream);
        let hung_up = Instant::now();
        while served.stopped.load(Ordering::SeqCst) == 0 {
            assert!(
                hung_up.elapsed() < Duration::from_secs(10),
                "the build goes on after its page hung up"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        // The lock is free again: the next Run is not told the server is busy.
        let headers = [
            ("host", host.as_str()),
            ("origin", &format!("http://{host}")[..]),
            ("content-type", "application/json"),
            (SECRET_HEADER, served.secret.as_str()),
        ];
        let next = Instant::now();
        loop {
            let (status, text) = send(served.port, "POST", RUN_PATH, &headers, "{}");
            if status == 200 {
                break;
            }
            assert_eq!(status, 503, "{text}");
            assert!(
                next.elapsed() < Duration::from_secs(10),
                "the runner stays busy"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let log = served.log();
        assert!(
            log.iter().any(|line| line.starts_with("run 1: ")
                && line.contains(" /a.html a snippet: stopped (the page hung up) in ")),
            "{log:#?}"
        );
    });
}

/// Sends `request` as it is; returns the whole answer, head and body.
fn exchange(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server listens");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    let _ = stream.write_all(request.as_bytes());
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn the_books_files_stay_inside_the_book() {
    checked("the_books_files_stay_inside_the_book", || {
        let served = serve(Duration::ZERO);
        let host = &format!("127.0.0.1:{}", served.port)[..];
        // The book is target/test-playground-book: two levels up is the repository's root.
        for path in [
            "/../../Cargo.toml",
            "/%2e%2e/%2e%2e/Cargo.toml",
            "/%2E%2E%2F%2E%2E%2FCargo.toml",
            "/css/..%2f..%2f..%2fCargo.toml",
            "/..%5c..%5cCargo.toml",
            "/%252e%252e/%252e%252e/Cargo.toml",
            "//etc/passwd",
            "/.git/config",
            "/%2egit/config",
        ] {
            let (status, body) = send(served.port, "GET", path, &[("host", host)], "");
            assert!(
                status == 404 || status == 400,
                "GET {path}: {status} {body}"
            );
            assert!(
                !body.contains("[workspace]") && !body.contains("root:"),
                "GET {path}"
            );
        }
        // Assets as files are: a type, and "not modified" when the browser has them.
        let css = exchange(
            served.port,
            &format!("GET /css/book.css HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n"),
        );
        assert!(css.starts_with("HTTP/1.1 200"), "{css}");
        assert!(
            css.to_lowercase().contains("content-type: text/css"),
            "{css}"
        );
        let modified = css
            .lines()
            .find_map(|line| line.strip_prefix("last-modified: "))
            .expect("a Last-Modified date");
        let again = exchange(
            served.port,
            &format!(
                "GET /css/book.css HTTP/1.1\r\nhost: {host}\r\nif-modified-since: {modified}\r\n\
                 connection: close\r\n\r\n"
            ),
        );
        assert!(again.starts_with("HTTP/1.1 304"), "{again}");
        // A page always carries this start's secret, whole, and is never kept.
        let page = exchange(
            served.port,
            &format!(
                "GET / HTTP/1.1\r\nhost: {host}\r\nif-modified-since: {modified}\r\nrange: bytes=0-3\r\n\
                 connection: close\r\n\r\n"
            ),
        );
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(page.contains(&served.secret), "{page}");
        assert!(page.contains("cache-control: no-store"), "{page}");
        let head = exchange(
            served.port,
            &format!("HEAD /index.html HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n"),
        );
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(!head.contains(&served.secret), "{head}");
        assert_eq!(
            send(served.port, "POST", "/index.html", &[("host", host)], "x").0,
            405,
            "the book is read-only"
        );
        let (status, missing) = send(served.port, "GET", "/missing.html", &[("host", host)], "");
        assert_eq!(status, 404, "{missing}");
    });
}

#[test]
fn one_build_at_a_time() {
    checked("one_build_at_a_time", || {
        let served = serve(Duration::from_millis(1500));
        let host = format!("127.0.0.1:{}", served.port);
        let origin = format!("http://{host}");
        let secret = served.secret.clone();
        let port = served.port;
        let request = move || {
            let headers = [
                ("host", host.as_str()),
                ("origin", origin.as_str()),
                ("content-type", "application/json"),
                (SECRET_HEADER, secret.as_str()),
            ];
            send(port, "POST", RUN_PATH, &headers, "{}").0
        };
        let first = {
            let request = request.clone();
            std::thread::spawn(request)
        };
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(request(), 503, "a second Run while one builds");
        assert_eq!(first.join().expect("the first request"), 200);
        assert_eq!(served.runs.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn a_block_of_an_exercise_runs_to_its_error_and_its_fix_to_a_pass() {
    checked(
        "a_block_of_an_exercise_runs_to_its_error_and_its_fix_to_a_pass",
        || {
            let dir = root().join("target/test-playground");
            let runner = Runner::try_open_at(&root(), &dir, Limits::default())
                .expect("the scratch copy opens")
                .expect("no other test holds it");
            let origin = Some("exercises/oauth-callback.rs#handler".to_owned());

            let shipped = runner.run(&RunRequest {
                code: Some(region("exercises/oauth-callback.rs", "handler")),
                origin: origin.clone(),
                ..RunRequest::default()
            });
            let pinned = std::fs::read_to_string(root().join("exercises/oauth-callback.stderr"))
                .expect("the pinned error");
            let headline = pinned.lines().next().expect("a headline");
            assert_eq!(shipped.ending, Ending::DoesNotCompile, "{shipped:?}");
            assert!(shipped.result.contains(headline), "{}", shipped.result);
            assert!(
                shipped.result.contains("Why: `verifiers`"),
                "{}",
                shipped.result
            );
            assert!(!shipped.result.contains('\x1b'), "no colour codes");

            let fixed = runner.run(&RunRequest {
                code: Some(region("solutions/oauth-callback--scoped.rs", "handler")),
                origin,
                ..RunRequest::default()
            });
            assert_eq!(fixed.ending, Ending::CheckPassed, "{}", fixed.result);

            // A solution's block, as shipped, runs the exercise's check; its errors would name it.
            let solution = runner.run(&RunRequest {
                code: None,
                origin: Some("solutions/oauth-callback--scoped.rs#handler".to_owned()),
                ..RunRequest::default()
            });
            assert_eq!(solution.ending, Ending::CheckPassed, "{}", solution.result);

            // The answer in parts: the verdict, the diagnosis with its page, the compiler's words
            // with no path of this machine, and where the file's regions sit.
            assert!(shipped.summary.starts_with("✗"), "{}", shipped.summary);
            let explanation = shipped.explanations.first().expect("a diagnosis");
            assert!(
                explanation.text.contains("Why: `verifiers`"),
                "{}",
                explanation.text
            );
            assert!(explanation.page.ends_with(".html"), "{}", explanation.page);
            assert!(shipped.compiler.contains(headline), "{}", shipped.compiler);
            let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
            let checkout = root().display().to_string();
            for text in [&shipped.compiler, &shipped.result] {
                assert!(!text.contains(&format!("{home}/")), "{text}");
                assert!(!text.contains(&checkout), "{text}");
            }
            let anchors: Vec<&str> = shipped.regions.iter().map(|r| r.anchor.as_str()).collect();
            assert_eq!(anchors, ["state", "handler"]);
            let file =
                std::fs::read_to_string(root().join("exercises/oauth-callback.rs")).expect("file");
            let handler_starts = file
                .lines()
                .position(|line| line == "// ANCHOR: handler")
                .expect("the handler's marker")
                + 2;
            assert_eq!(shipped.regions[1].first, handler_starts);

            for origin in [
                "Cargo.toml#x",
                "exercises/../Cargo.toml#x",
                "exercises/oauth-callback.rs#nope",
            ] {
                let refused = runner.run(&RunRequest {
                    code: Some("fn main() {}".into()),
                    origin: Some(origin.into()),
                    ..RunRequest::default()
                });
                assert_eq!(refused.ending, Ending::NotRun, "{origin}");
                assert!(refused.error.is_some());
            }
        },
    );
}

/// The book's server's binary, which is also the reaper each Run's program runs under.
#[cfg(target_os = "linux")]
fn reaper() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_book-server"))
}

/// An argument for `sleep` that no other process has: a long sleep, with this test's own
/// fraction of a second.
#[cfg(target_os = "linux")]
fn mark(n: u32) -> String {
    format!("600.{}{n:03}", std::process::id())
}

/// The processes still running (not zombies) with `mark` among their arguments, once those
/// killed have had up to 2 s to end.
#[cfg(target_os = "linux")]
fn left_with(mark: &str) -> Vec<u32> {
    let find = || -> Vec<u32> {
        let entries = std::fs::read_dir("/proc").expect("/proc lists processes");
        entries
            .flatten()
            .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|line| {
                    String::from_utf8_lossy(&line)
                        .split('\0')
                        .any(|arg| arg == mark)
                })
            })
            .collect()
    };
    let waited = Instant::now();
    loop {
        let left = find();
        if left.is_empty() || waited.elapsed() > Duration::from_secs(2) {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
fn sh(script: &str) -> std::process::Command {
    let mut command = std::process::Command::new("sh");
    command.args(["-c", script]);
    command
}

#[cfg(target_os = "linux")]
fn watched(reaper: Option<PathBuf>) -> Watch {
    Watch {
        reaper,
        ..Watch::default()
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_child_that_keeps_stdout_open_ends_with_the_program() {
    checked(
        "a_child_that_keeps_stdout_open_ends_with_the_program",
        || {
            for (n, reaper) in [(1, None), (2, Some(reaper()))] {
                let mark = mark(n);
                let started = Instant::now();
                let script = format!("sleep {mark} & echo started");
                let finished =
                    run::capture_watched(sh(&script), Duration::from_secs(20), &watched(reaper))
                        .expect("sh runs");
                assert!(
                    started.elapsed() < Duration::from_secs(5),
                    "took {:?}",
                    started.elapsed()
                );
                assert!(finished.status.is_some_and(|s| s.success()), "{finished:?}");
                assert_eq!(finished.stdout, "started\n");
                assert_eq!(left_with(&mark), Vec::<u32>::new(), "a child was left");
            }
        },
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_program_that_starts_50_children_and_exits_leaves_none() {
    checked(
        "a_program_that_starts_50_children_and_exits_leaves_none",
        || {
            let (grouped, escaped) = (mark(3), mark(4));
            // 50 children in the program's process group, and one that starts a session of its own
            // (`setsid`), which only the reaper finds again; all keep the output open.
            let script = format!(
                "for i in $(seq 50); do sleep {grouped} & done; setsid sleep {escaped} & \
             sleep 0.2; echo started"
            );
            let started = Instant::now();
            let finished = run::capture_watched(
                sh(&script),
                Duration::from_secs(20),
                &watched(Some(reaper())),
            )
            .expect("sh runs");
            assert!(
                started.elapsed() < Duration::from_secs(8),
                "took {:?}",
                started.elapsed()
            );
            assert!(finished.status.is_some_and(|s| s.success()), "{finished:?}");
            assert_eq!(finished.stdout, "started\n");
            assert_eq!(left_with(&grouped), Vec::<u32>::new(), "a child was left");
            assert_eq!(
                left_with(&escaped),
                Vec::<u32>::new(),
                "the escaped child was left"
            );
        },
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_program_that_ignores_sigterm_is_stopped_at_its_limit() {
    checked(
        "a_program_that_ignores_sigterm_is_stopped_at_its_limit",
        || {
            let mark = mark(5);
            let script = format!("trap '' TERM; sleep {mark} & while :; do sleep 0.05; done");
            let limit = Duration::from_secs(1);
            for reaper in [None, Some(reaper())] {
                let started = Instant::now();
                let finished = run::capture_watched(sh(&script), limit, &watched(reaper.clone()))
                    .expect("sh runs");
                let took = started.elapsed();
                assert_eq!(finished.status, None, "stopped at its limit: {finished:?}");
                assert!(took >= limit, "took {took:?}");
                assert!(
                    took < limit + run::REAPER_MARGIN + run::DRAIN_GRACE + Duration::from_secs(1),
                    "took {took:?} (reaper: {reaper:?})"
                );
                assert_eq!(left_with(&mark), Vec::<u32>::new(), "a child was left");
            }
        },
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_stopped_program_ends_at_once() {
    checked("a_stopped_program_ends_at_once", || {
        let mark = mark(6);
        let watch = watched(Some(reaper()));
        let stop = watch.stop.clone();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            stop.stop();
        });
        let started = Instant::now();
        let finished = run::capture_watched(
            sh(&format!("sleep {mark}")),
            Duration::from_secs(30),
            &watch,
        )
        .expect("sh runs");
        stopper.join().expect("the stopper ends");
        assert_eq!(finished.status, None);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(left_with(&mark), Vec::<u32>::new(), "a child was left");
    });
}

/// The same through the real runner: a snippet typed in the page that starts children,
/// which keep its output open, and exits.
#[cfg(target_os = "linux")]
#[test]
fn a_snippets_children_end_with_it() {
    checked("a_snippets_children_end_with_it", || {
        let dir = root().join("target/test-playground-limits");
        let runner = Runner::try_open_at(&root(), &dir, Limits::default())
            .expect("the scratch copy opens")
            .expect("no other test holds it")
            .with_reaper(reaper());
        let (grouped, escaped) = (mark(7), mark(8));
        let code = format!(
            r#"use std::process::Command;

    fn main() {{
        for _ in 0..50 {{
            Command::new("sleep").arg("{grouped}").spawn().expect("sleep starts");
        }}
        Command::new("setsid").args(["sleep", "{escaped}"]).spawn().expect("setsid starts");
        println!("started 51");
    }}
    "#
        );
        let request = RunRequest {
            code: Some(code),
            ..RunRequest::default()
        };
        let ran = runner.run(&request);
        assert_eq!(ran.ending, Ending::Ran, "{}", ran.result);
        assert!(ran.result.contains("started 51"), "{}", ran.result);
        assert_eq!(left_with(&grouped), Vec::<u32>::new(), "a child was left");
        assert_eq!(
            left_with(&escaped),
            Vec::<u32>::new(),
            "the escaped child was left"
        );
        // The run itself, past the build, took well under the run limit.
        let running = ran.total_ms - ran.build_ms;
        assert!(running < 5_000, "ran for {running} ms");

        // A Run given up (its page hung up) ends at once, in its build or in its program.
        let endless = RunRequest {
            code: Some("fn main() {\n    loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n".into()),
            ..RunRequest::default()
        };
        let stop = Stop::new();
        let stopper = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(200));
                stop.stop();
            })
        };
        let started = Instant::now();
        let stopped = runner.run_until(&endless, &stop);
        stopper.join().expect("the stopper ends");
        assert_eq!(stopped.ending, Ending::NotRun, "{}", stopped.result);
        assert!(
            stopped
                .error
                .as_deref()
                .is_some_and(|e| e.contains("went away")),
            "{:?}",
            stopped.error
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
    });
}

/// Several blocks of one exercise make one program, and an import typed into a block takes
/// the place of the file's own (the tokio-mutex fix, tried in the page).
#[test]
fn the_blocks_of_an_exercise_are_built_together() {
    checked("the_blocks_of_an_exercise_are_built_together", || {
        let dir = root().join("target/test-playground-blocks");
        let runner = Runner::try_open_at(&root(), &dir, Limits::default())
            .expect("the scratch copy opens")
            .expect("no other test holds it");
        let file = "exercises/oauth-callback.rs";
        let origin = Some(format!("{file}#handler"));
        // A method added to the state block, which takes the lock only for as long as it runs,
        // and the handler block calling it.
        let state = format!(
            "{}\nimpl AppState {{\n    fn take_verifier(&self, state: &str) -> Option<String> {{\n        \
             self.verifiers.lock().unwrap().remove(state)\n    }}\n}}\n",
            region(file, "state")
        );
        let handler = region("solutions/oauth-callback--scoped.rs", "handler");
        let start = handler.find("let verifier = {").expect("the scoped lock");
        let end = handler[start..].find("};").expect("its end") + start + 2;
        let handler = format!(
            "{}let verifier = app.take_verifier(&callback.state);{}",
            &handler[..start],
            &handler[end..]
        );
        // The handler alone calls a method the shipped state block does not have.
        let alone = runner.run(&RunRequest {
            code: Some(handler.clone()),
            origin: origin.clone(),
            ..RunRequest::default()
        });
        assert_eq!(alone.ending, Ending::DoesNotCompile, "{}", alone.result);
        let together = runner.run(&RunRequest {
            code: Some(handler),
            origin: origin.clone(),
            also: vec![Block {
                anchor: "state".into(),
                code: state,
            }],
        });
        assert_eq!(together.ending, Ending::CheckPassed, "{}", together.result);

        let tokio = "solutions/oauth-callback--tokio-mutex.rs";
        let fixed = runner.run(&RunRequest {
            code: Some(region(tokio, "handler")),
            origin,
            also: vec![Block {
                anchor: "state".into(),
                code: format!("use tokio::sync::Mutex;\n\n{}", region(file, "state")),
            }],
        });
        assert_eq!(fixed.ending, Ending::CheckPassed, "{}", fixed.result);
    });
}
