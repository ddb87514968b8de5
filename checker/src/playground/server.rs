//! The book's server: the built book's files and the Run endpoint, on one loopback origin.
//!
//! Running a block compiles and runs code as the user who started the server, so the
//! endpoint answers only the book's own pages:
//!
//! * it listens on 127.0.0.1 only, and (on Linux, where the kernel says who owns each
//!   connection) answers only connections of the user who started it: another account on
//!   a shared machine can reach 127.0.0.1 too;
//! * each start makes a secret, which the HTML pages it serves carry (a `<meta>` tag) and
//!   which every Run request must present in a header. Another web page open in the same
//!   browser cannot read it: the browser keeps other origins from reading these pages;
//! * every request must name this server in its `Host` header (`127.0.0.1:PORT` or
//!   `localhost:PORT`), so a page that points its own domain name at 127.0.0.1 (DNS
//!   rebinding) gets neither the pages, hence the secret, nor a build;
//! * a Run request must come from this origin (`Origin`), with a JSON body, and answers no
//!   CORS preflight, so a page elsewhere cannot even send it;
//! * requests are read exactly: one `Host` header, a path as the request target (never a
//!   whole URL, which would name a second host), and a Run's body typed exactly as JSON
//!   ([`is_json`]);
//! * a request body may be at most [`MAX_BODY`] bytes, one build runs at a time (another
//!   request is told the server is busy), and the runner limits build time, run time and
//!   output ([`crate::playground::runner::Limits`]); a page that hangs up stops its build;
//! * every Run and every refusal is one line of the log (time, page, what, outcome, time
//!   taken).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rand::Rng;
use tokio::sync::Mutex;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::harness::run::Stop;
use crate::playground::runner::{RunRequest, RunResponse};

/// Where pages send their code.
pub const RUN_PATH: &str = "/__run";
/// The request header that carries the secret.
pub const SECRET_HEADER: &str = "x-run-secret";
/// The name of the `<meta>` tag that carries the secret in every page served.
pub const SECRET_META: &str = "cannot-be-sent-run";
/// The largest request body accepted, in bytes: a region of an exercise is a few KiB.
pub const MAX_BODY: usize = 64 * 1024;

/// The script that makes the Run buttons of a served page compile here (put into every
/// HTML page, after the secret, before mdBook's own scripts).
const PAGE_SCRIPT: &str = include_str!("page.js");

/// What builds and runs a request, given up once its [`Stop`] is set (the page hung up). The
/// real one is [`crate::playground::runner::Runner::run_until`]; the tests of the server use
/// stand-ins.
pub type RunFn = Arc<dyn Fn(RunRequest, Stop) -> RunResponse + Send + Sync>;

/// Where the server's log lines go: one line per Run and per refusal.
pub type LogFn = Arc<dyn Fn(String) + Send + Sync>;

/// A fresh secret: 32 bytes from the operating system's random source, in hex.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Site {
    book: PathBuf,
    port: u16,
    secret: String,
    run: RunFn,
    log: LogFn,
    /// Held while a build runs.
    building: Arc<Mutex<()>>,
    builds: AtomicU64,
}

impl Site {
    fn own_host(&self, host: &str) -> bool {
        [
            format!("127.0.0.1:{}", self.port),
            format!("localhost:{}", self.port),
        ]
        .iter()
        .any(|own| own == host)
    }

    fn own_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.own_host(host))
    }

    fn secret_matches(&self, given: &[u8]) -> bool {
        let secret = self.secret.as_bytes();
        // The same time whatever the first wrong byte is.
        given.len() == secret.len()
            && given
                .iter()
                .zip(secret)
                .fold(0, |differ, (a, b)| differ | (a ^ b))
                == 0
    }
}

/// The book in `book` and the Run endpoint, for a server listening on 127.0.0.1:`port`,
/// logging on stdout.
pub fn router(book: &Path, port: u16, secret: String, run: RunFn) -> Router {
    router_logged(book, port, secret, run, stdout_log())
}

/// Log lines on stdout.
pub fn stdout_log() -> LogFn {
    Arc::new(|line| println!("{line}"))
}

/// [`router`], logging to `log`.
pub fn router_logged(book: &Path, port: u16, secret: String, run: RunFn, log: LogFn) -> Router {
    let site = Arc::new(Site {
        book: book.to_owned(),
        port,
        secret,
        run,
        log,
        building: Arc::new(Mutex::new(())),
        builds: AtomicU64::new(0),
    });
    Router::new()
        .route(RUN_PATH, post(run_block))
        .fallback(book_file)
        .layer(middleware::from_fn_with_state(site.clone(), only_this_host))
        .layer(middleware::map_response(safe_headers))
        .layer(middleware::from_fn_with_state(site.clone(), log_refusals))
        .with_state(site)
}

/// Serves `book` on `listener` (which must be bound to 127.0.0.1) until the process ends,
/// logging on stdout.
pub async fn serve(
    listener: tokio::net::TcpListener,
    book: &Path,
    secret: String,
    run: RunFn,
) -> Result<()> {
    serve_logged(listener, book, secret, run, stdout_log()).await
}

/// [`serve`], logging to `log`.
pub async fn serve_logged(
    listener: tokio::net::TcpListener,
    book: &Path,
    secret: String,
    run: RunFn,
    log: LogFn,
) -> Result<()> {
    let address = listener.local_addr()?;
    anyhow::ensure!(
        address.ip().is_loopback(),
        "the book's server listens on loopback only, not on {address}"
    );
    let app = router_logged(book, address.port(), secret, run, log);
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).await.context("serving the book")
}

/// Marks a response as a refusal, for the log.
#[derive(Clone)]
struct Refusal(String);

fn refuse(status: StatusCode, why: &str) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        why.to_owned(),
    )
        .into_response();
    response.extensions_mut().insert(Refusal(why.to_owned()));
    response
}

/// The page a request came from (its `Referer`, which this origin's pages send in full),
/// or `-`.
fn page_of(headers: &HeaderMap) -> String {
    headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .map(|referer| {
            referer
                .split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|at| rest[at..].to_owned()))
                .unwrap_or_else(|| referer.to_owned())
        })
        .filter(|page| !page.is_empty())
        .unwrap_or_else(|| "-".to_owned())
}

fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// One log line for every refusal (every answer with an error status): when, from which
/// page, what was asked, the status and why, and how long it took.
async fn log_refusals(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let page = page_of(request.headers());
    let asked = format!("{} {}", request.method(), request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        let why = match response.extensions().get::<Refusal>() {
            Some(Refusal(why)) => why.split_once(": ").map_or(&why[..], |(_, why)| why),
            None => status.canonical_reason().unwrap_or_default(),
        };
        // One line, whatever the reason quotes of the request.
        let why: String = why.chars().filter(|c| !c.is_control()).take(100).collect();
        (site.log)(format!(
            "refused: {} {page} {asked}: {} {why} in {} ms",
            now(),
            status.as_u16(),
            started.elapsed().as_millis()
        ));
    }
    response
}

/// Refuses every request that does not name this server as its host, or that comes from
/// another account on this machine.
async fn only_this_host(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    if let Some(peer) = peer
        && !same_user(peer, site.port)
    {
        return refuse(
            StatusCode::FORBIDDEN,
            "refused: this connection belongs to another account on this machine; the book's \
             server answers only the user who started it",
        );
    }
    // origin-form only (`GET /page.html`), never absolute-form (`GET http://host/page.html`)
    // nor asterisk-form (`OPTIONS *`): the only name of the server a request gives is its
    // one `Host` header.
    let uri = request.uri();
    if uri.scheme().is_some() || uri.authority().is_some() || !uri.path().starts_with('/') {
        return refuse(
            StatusCode::BAD_REQUEST,
            "refused: the request target must be a path (origin-form), not a whole URL",
        );
    }
    let hosts = request.headers().get_all(header::HOST);
    if hosts.iter().count() != 1 {
        return refuse(
            StatusCode::BAD_REQUEST,
            "refused: a request has exactly one Host header",
        );
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !site.own_host(host) {
        return refuse(
            StatusCode::FORBIDDEN,
            "refused: this server answers only requests for 127.0.0.1 or localhost on its own port",
        );
    }
    next.run(request).await
}

/// Whether the connection from `peer` to our `port` on 127.0.0.1 belongs to the user this
/// process runs as, by the kernel's table of TCP sockets. Where there is no such table (not
/// Linux), every connection to 127.0.0.1 counts as the user's.
fn same_user(peer: SocketAddr, port: u16) -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let (Ok(sockets), Ok(status)) = (
        std::fs::read_to_string("/proc/net/tcp"),
        std::fs::read_to_string("/proc/self/status"),
    ) else {
        return false;
    };
    let own = status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().next());
    let here = SocketAddr::from(([127, 0, 0, 1], port));
    own.is_some_and(|own| socket_owner(&sockets, peer, here).as_deref() == Some(own))
}

/// The uid column of the line of `/proc/net/tcp` for the socket `local` connected to
/// `remote` (IPv4 only: the server listens on 127.0.0.1).
fn socket_owner(table: &str, local: SocketAddr, remote: SocketAddr) -> Option<String> {
    let hex = |address: SocketAddr| match address {
        SocketAddr::V4(v4) => Some(format!(
            "{:08X}:{:04X}",
            u32::from_le_bytes(v4.ip().octets()),
            v4.port()
        )),
        SocketAddr::V6(_) => None,
    };
    let (local, remote) = (hex(local)?, hex(remote)?);
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (fields.get(1) == Some(&local.as_str()) && fields.get(2) == Some(&remote.as_str()))
            .then(|| fields.get(7).map(|uid| (*uid).to_owned()))
            .flatten()
    })
}

/// Headers for every answer: no framing by other sites, no guessing of content types.
async fn safe_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// The one value of header `name`: `None` if it is missing, is given more than once or is not
/// visible ASCII.
fn single<'a>(headers: &'a HeaderMap, name: &header::HeaderName) -> Option<&'a str> {
    let mut values = headers.get_all(name).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    value.to_str().ok()
}

/// Whether `value` is exactly the JSON media type: `application/json`, alone or with the one
/// parameter `charset=utf-8` (names and values in any case, as RFC 9110 allows). Nothing
/// else, so `application/jsonx` or `application/json, text/plain` are not JSON.
pub fn is_json(value: &str) -> bool {
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return false;
    }
    match (parts.next(), parts.next()) {
        (None, _) => true,
        (Some(parameter), None) => parameter.split_once('=').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("charset")
                && value.trim().eq_ignore_ascii_case("utf-8")
        }),
        _ => false,
    }
}

/// Sets its [`Stop`] when dropped before [`StopOnDrop::finished`]: hyper drops a handler's
/// future when its client hangs up, and the build that client asked for is then stopped.
struct StopOnDrop(Option<Stop>);

impl StopOnDrop {
    fn finished(mut self) {
        self.0 = None;
    }
}

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if let Some(stop) = self.0.take() {
            stop.stop();
        }
    }
}

/// The Run endpoint.
async fn run_block(State(site): State<Arc<Site>>, headers: HeaderMap, body: Body) -> Response {
    let text = |name: header::HeaderName| single(&headers, &name).unwrap_or_default();
    if !site.own_origin(text(header::ORIGIN)) {
        return refuse(
            StatusCode::FORBIDDEN,
            "refused: Run answers only the pages of this book, served from this origin",
        );
    }
    if !matches!(
        headers
            .get("sec-fetch-site")
            .map(|value| value.to_str().unwrap_or("?")),
        None | Some("same-origin")
    ) {
        return refuse(
            StatusCode::FORBIDDEN,
            "refused: not a request of this book's pages",
        );
    }
    let secret = single(&headers, &header::HeaderName::from_static(SECRET_HEADER))
        .map(str::as_bytes)
        .unwrap_or_default();
    if !site.secret_matches(secret) {
        return refuse(
            StatusCode::FORBIDDEN,
            "refused: the request does not carry this server's secret (reload the page: the \
             server makes a new one each time it starts)",
        );
    }
    if !is_json(text(header::CONTENT_TYPE)) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "refused: send JSON (Content-Type: application/json)",
        );
    }
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("refused: a Run request is at most {} KiB", MAX_BODY / 1024),
        );
    };
    let request: RunRequest = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(err) => return refuse(StatusCode::BAD_REQUEST, &format!("refused: {err}")),
    };
    let Ok(building) = site.building.clone().try_lock_owned() else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy: another block is being built; press Run again in a moment",
        );
    };
    let started = Instant::now();
    let count = site.builds.fetch_add(1, Ordering::SeqCst) + 1;
    let what = request.origin.clone().unwrap_or_else(|| "a snippet".into());
    let page = page_of(&headers);
    let stop = Stop::new();
    let guard = StopOnDrop(Some(stop.clone()));
    let (run, log) = (site.run.clone(), site.log.clone());
    // The lock, the run and its log line live on the blocking thread: if the page hangs up,
    // this future is dropped, the guard stops the build, and the line still says so.
    let answer = tokio::task::spawn_blocking(move || {
        let _building = building;
        let answer = run(request, stop.clone());
        let ending = if stop.is_stopped() {
            "stopped (the page hung up)"
        } else {
            answer.ending.name()
        };
        log(format!(
            "run {count}: {} {page} {what}: {ending} in {} ms",
            now(),
            started.elapsed().as_millis()
        ));
        answer
    })
    .await;
    guard.finished();
    let answer =
        answer.unwrap_or_else(|err| RunResponse::not_run(format!("the build failed: {err}")));
    axum::Json(answer).into_response()
}

/// The largest HTML page the server puts the secret into (mdBook's print page of the whole
/// book is the largest, at a few MiB).
const MAX_PAGE: usize = 64 * 1024 * 1024;

/// A file of the built book, served by tower-http's `ServeDir` (its own checks keep paths
/// inside the book: no `..`, in any encoding; and it answers conditional and range requests
/// and names content types). HTML pages get the secret and the page script, and are never
/// kept by the browser nor answered from a cache.
async fn book_file(State(site): State<Arc<Site>>, mut request: Request) -> Response {
    if hidden(request.uri().path()) {
        return refuse(
            StatusCode::NOT_FOUND,
            "not found: the book has no hidden files",
        );
    }
    if could_be_page(request.uri().path()) {
        // A page is made anew for each start (its secret): never "not modified", never a
        // part of it.
        for name in [
            header::IF_MODIFIED_SINCE,
            header::IF_NONE_MATCH,
            header::IF_RANGE,
            header::IF_UNMODIFIED_SINCE,
            header::IF_MATCH,
            header::RANGE,
        ] {
            request.headers_mut().remove(name);
        }
    }
    let head = request.method() == Method::HEAD;
    let files = ServeDir::new(&site.book)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(site.book.join("404.html")));
    let response = match files.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"));
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        return refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "refused: the book is read-only",
        );
    }
    if !html {
        return response.map(Body::new);
    }
    let (mut parts, body) = response.into_parts();
    for name in [
        header::CONTENT_LENGTH,
        header::ETAG,
        header::LAST_MODIFIED,
        header::ACCEPT_RANGES,
    ] {
        parts.headers.remove(name);
    }
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // A page kept by the browser would carry the secret of an earlier start.
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if head {
        return Response::from_parts(parts, Body::empty());
    }
    let Ok(bytes) = to_bytes(Body::new(body), MAX_PAGE).await else {
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read, or is too large",
        );
    };
    let page = with_secret(&String::from_utf8_lossy(&bytes), &site.secret);
    Response::from_parts(parts, Body::from(page))
}

/// Whether a path names a hidden file or folder (a part that starts with `.`, in any
/// encoding): the built book has none, and a `.git` or `.env` put there is not for the web.
fn hidden(uri_path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(uri_path).decode_utf8_lossy();
    decoded.split(['/', '\\']).any(|part| part.starts_with('.'))
}

/// Whether a path may be answered with an HTML page: a `.html` file, a folder (its
/// `index.html`) or a missing file (the book's `404.html`); anything without an extension
/// that names a known kind of file.
fn could_be_page(uri_path: &str) -> bool {
    let last = uri_path.rsplit('/').next().unwrap_or_default();
    match last.rsplit_once('.') {
        None => true,
        Some((_, extension)) => !matches!(
            extension,
            "css" | "js" | "json" | "svg" | "png" | "woff" | "woff2" | "ttf" | "ico" | "txt" | "md"
        ),
    }
}

/// `html` with the secret and the page script at the start of its `<head>`.
pub fn with_secret(html: &str, secret: &str) -> String {
    let tags = format!(
        "\n<meta name=\"{SECRET_META}\" content=\"{secret}\">\n<script>\n{PAGE_SCRIPT}</script>\n"
    );
    match html.find("<head>") {
        Some(at) => {
            let at = at + "<head>".len();
            format!("{}{tags}{}", &html[..at], &html[at..])
        }
        None => format!("{tags}{html}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_files_are_told_apart_in_every_encoding() {
        for hidden_path in [
            "/.git/config",
            "/a/.env",
            "/%2egit/config",
            "/a%2f.git",
            "/a\\.x",
        ] {
            assert!(hidden(hidden_path), "{hidden_path}");
        }
        for plain in ["/", "/story/a.html", "/a.b/c", "/css/chrome.css"] {
            assert!(!hidden(plain), "{plain}");
        }
    }

    #[test]
    fn pages_are_told_from_assets() {
        assert!(could_be_page("/"));
        assert!(could_be_page("/story/a.html"));
        assert!(could_be_page("/story/missing"));
        assert!(!could_be_page("/css/chrome.css"));
        assert!(!could_be_page("/book.js"));
    }

    #[test]
    fn json_is_exactly_json() {
        for json in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8",
        ] {
            assert!(is_json(json), "{json}");
        }
        for not in [
            "",
            "application/jsonfoo",
            "application/json-patch+json",
            "text/plain",
            "application/json; charset=latin1",
            "application/json; charset=utf-8; x=y",
            "application/json, text/plain",
            "application/json; boundary=x",
        ] {
            assert!(!is_json(not), "{not}");
        }
    }

    #[test]
    fn the_owner_of_a_connection_is_read_from_the_kernels_table() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n\
                     0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000\n\
                     1: 0100007F:8A2F 0100007F:0BB8 01 00000000:00000000 00:00000000 00000000  1001\n";
        let client = SocketAddr::from(([127, 0, 0, 1], 0x8A2F));
        let server = SocketAddr::from(([127, 0, 0, 1], 3000));
        assert_eq!(socket_owner(table, client, server).as_deref(), Some("1001"));
        assert_eq!(socket_owner(table, server, client), None);
    }

    #[test]
    fn the_secret_goes_first_into_the_head() {
        let page = with_secret("<html><head><title>x</title></head></html>", "abc");
        assert!(page.starts_with(
            "<html><head>\n<meta name=\"cannot-be-sent-run\" content=\"abc\">\n<script>"
        ));
        assert_eq!(new_secret().len(), 64);
        assert_ne!(new_secret(), new_secret());
    }
}
