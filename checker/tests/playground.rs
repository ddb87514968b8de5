//! Run in the page, without a browser: the book's server refuses every request that is not
//! from the book's own pages (with a stand-in runner that counts what reaches it), and the
//! real runner answers a block of an exercise with the compiler's error and the diagnosis,
//! and its fix with a passing check. The browser test (`xtask/js/browser.mjs`) does the same
//! from a real page.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use checker::playground::runner::{Ending, Limits, RunRequest, RunResponse, Runner};
use checker::playground::server::{self, MAX_BODY, RUN_PATH, SECRET_HEADER};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
}

/// The server on a free port, serving a one-page book, with a runner that takes `delay`
/// and counts its runs.
fn serve(delay: Duration) -> Served {
    let book = root().join("target/test-playground-book");
    std::fs::create_dir_all(&book).expect("the book's folder");
    std::fs::write(
        book.join("index.html"),
        "<html><head><title>t</title></head><body>hi</body></html>",
    )
    .expect("the page is written");
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let run: server::RunFn = Arc::new(move |_request| {
        counted.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(delay);
        RunResponse::not_run("a stand-in")
    });
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
            server::serve(listener, &book, given, run)
                .await
                .expect("the server runs");
        });
    });
    Served {
        port: port.recv().expect("the server starts"),
        secret,
        runs,
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
}

#[test]
fn one_build_at_a_time() {
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
}

#[test]
fn a_block_of_an_exercise_runs_to_its_error_and_its_fix_to_a_pass() {
    let dir = root().join("target/test-playground");
    let runner = Runner::try_open_at(&root(), &dir, Limits::default())
        .expect("the scratch copy opens")
        .expect("no other test holds it");
    let origin = Some("exercises/oauth-callback.rs#handler".to_owned());

    let shipped = runner.run(&RunRequest {
        code: Some(region("exercises/oauth-callback.rs", "handler")),
        origin: origin.clone(),
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
    });
    assert_eq!(fixed.ending, Ending::CheckPassed, "{}", fixed.result);

    // A solution's block, as shipped, runs the exercise's check; its errors would name it.
    let solution = runner.run(&RunRequest {
        code: None,
        origin: Some("solutions/oauth-callback--scoped.rs#handler".to_owned()),
    });
    assert_eq!(solution.ending, Ending::CheckPassed, "{}", solution.result);

    for origin in [
        "Cargo.toml#x",
        "exercises/../Cargo.toml#x",
        "exercises/oauth-callback.rs#nope",
    ] {
        let refused = runner.run(&RunRequest {
            code: Some("fn main() {}".into()),
            origin: Some(origin.into()),
        });
        assert_eq!(refused.ending, Ending::NotRun, "{origin}");
        assert!(refused.error.is_some());
    }
}
