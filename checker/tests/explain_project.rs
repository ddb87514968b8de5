//! `cargo explain-send` on real cargo projects made here: a dependency whose type is not
//! `Send`, a workspace with two members, an edition 2021 project, an axum handler that needs
//! a recheck, and the bad inputs (not a project, no lockfile and no network, a panicking
//! proc-macro, an endless constant, a file that is not UTF-8). It must diagnose what it
//! can, say clearly what it cannot, and never change the project.
//!
//! The projects build into the root's `target/` (`CARGO_TARGET_DIR`), with the root's
//! profile and dependency features, so they reuse the material's dependency builds.

use checker::material::verdicts::{Inputs, replay_or_run_test};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The nightly toolchain's version, which one test uses: empty when there is none.
fn nightly_version() -> String {
    Command::new("rustup")
        .args(["run", "nightly", "rustc", "-vV"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// Runs a check unless it passed before with the same inputs: see
/// `checker::material::verdicts`.
fn checked(name: &str, check: impl FnOnce()) {
    static INPUTS: std::sync::OnceLock<Inputs> = std::sync::OnceLock::new();
    let inputs = INPUTS.get_or_init(|| {
        // The projects are written by the tests themselves: the material is not read.
        Inputs::new(&root())
            .program(Path::new(env!("CARGO_BIN_EXE_cargo-explain-send")))
            .text("nightly", &nightly_version())
    });
    replay_or_run_test(&format!("explain_project::{name}"), inputs, check);
}

const PROFILE: &str =
    "\n[profile.dev]\ndebug = false\nstrip = \"debuginfo\"\nincremental = false\n";
const TOKIO: &str = r#"tokio = { version = "=1.54.1", features = ["full", "test-util"] }"#;

/// A fresh project NAME outside the repository (inside it, cargo would take it for part of
/// the repository's workspace), on the repository's pinned toolchain unless it names its
/// own, with a Cargo.lock made offline when `lock` is set.
fn project(name: &str, files: &[(&str, &str)], lock: bool) -> PathBuf {
    let dir = std::env::temp_dir()
        .join("explain-send-projects")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    if !files.iter().any(|(path, _)| *path == "rust-toolchain.toml") {
        let pinned = fs::read_to_string(root().join("rust-toolchain.toml")).expect("pinned");
        fs::create_dir_all(&dir).expect("the folder is made");
        fs::write(dir.join("rust-toolchain.toml"), pinned).expect("written");
    }
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("folders are made");
        fs::write(path, text).expect("files are written");
    }
    if lock {
        checker::material::cargo_build::lock_like_material(&root(), &dir)
            .unwrap_or_else(|e| panic!("a lockfile for {name}: {e:#}"));
    }
    dir
}

/// The cache a lockless project is checked in, for these tests: not the user's own.
fn cache_dir() -> PathBuf {
    std::env::temp_dir().join("explain-send-projects-cache")
}

struct Outcome {
    code: Option<i32>,
    json: Value,
    took: Duration,
}

/// Runs the subcommand in `dir` as a developer would (`cargo explain-send --json …`).
fn explain_send(dir: &Path, args: &[&str]) -> Outcome {
    explain_send_with(dir, args, &[])
}

fn explain_send_with(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Outcome {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-explain-send"))
        .envs(env.iter().copied())
        .arg("explain-send")
        .arg("--json")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target"))
        .env("CANNOT_BE_SENT_CACHE", cache_dir())
        // As from a developer's shell: cargo and the toolchain are found from the project.
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("the subcommand runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|err| {
        panic!(
            "--json prints JSON ({err}): {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Outcome {
        code: output.status.code(),
        json,
        took: started.elapsed(),
    }
}

/// Every file of a project but its build output, with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap_or_default());
            }
        }
    }
    files
}

fn diagnoses(outcome: &Outcome) -> &Vec<Value> {
    outcome.json["diagnoses"]
        .as_array()
        .expect("a list of diagnoses")
}

#[test]
fn a_dependency_whose_type_is_not_send_is_named() {
    checked("a_dependency_whose_type_is_not_send_is_named", || {
        let manifest = format!(
            "[package]\nname = \"crawler\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [dependencies]\n{TOKIO}\npagedom = {{ path = \"vendor/pagedom\" }}\n{PROFILE}"
        );
        let dir = project(
            "foreign-dependency",
            &[
                ("Cargo.toml", &manifest),
                (
                    "vendor/pagedom/Cargo.toml",
                    "[package]\nname = \"pagedom\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
                ),
                (
                    "vendor/pagedom/src/lib.rs",
                    "use std::rc::Rc;\n\n/// A parsed page; its nodes are shared with `Rc`, as in many DOM crates.\n\
                     pub struct Document {\n    nodes: Rc<Vec<String>>,\n}\n\n\
                     pub fn parse(text: &str) -> Document {\n    Document { nodes: Rc::new(vec![text.to_owned()]) }\n}\n\n\
                     impl Document {\n    pub fn links(&self) -> usize {\n        self.nodes.len()\n    }\n}\n",
                ),
                (
                    "src/main.rs",
                    "use pagedom::Document;\n\nasync fn fetch(url: &str) -> String {\n    url.to_owned()\n}\n\n\
                     async fn crawl(url: String) -> usize {\n    let page: Document = pagedom::parse(&fetch(&url).await);\n    \
                     let more = fetch(\"next\").await;\n    page.links() + more.len()\n}\n\n\
                     #[tokio::main]\nasync fn main() {\n    tokio::spawn(crawl(\"start\".into())).await.unwrap();\n}\n",
                ),
            ],
            true,
        );
        let outcome = explain_send(&dir, &[]);
        assert_eq!(outcome.code, Some(1), "{}", outcome.json);
        let found = diagnoses(&outcome);
        assert_eq!(found.len(), 1, "{}", outcome.json);
        let d = &found[0];
        assert_eq!(outcome.json["checks"], 1, "one check, no recheck");
        assert_eq!(d["kind"], "foreign", "{d}");
        assert_eq!(d["shape"], "held-across-await", "{d}");
        assert_eq!(d["value"], "page", "{d}");
        assert_eq!(d["line"], 8, "{d}");
        assert_eq!(d["await"]["line"], 9, "{d}");
        assert!(
            d["culprit"].as_str().is_some_and(|c| c.contains("Rc<")),
            "{d}"
        );
    });
}

#[test]
fn a_workspace_member_is_chosen_and_the_other_diagnosed() {
    checked(
        "a_workspace_member_is_chosen_and_the_other_diagnosed",
        || {
            let member = |name: &str| {
                format!(
                    "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{TOKIO}\n"
                )
            };
            let workspace =
                format!("[workspace]\nresolver = \"3\"\nmembers = [\"api\", \"jobs\"]\n{PROFILE}");
            let dir = project(
                "two-members",
                &[
                    ("Cargo.toml", &workspace),
                    ("api/Cargo.toml", &member("api")),
                    (
                        "api/src/main.rs",
                        "#[tokio::main]\nasync fn main() {\n    tokio::spawn(async { 1 }).await.unwrap();\n}\n",
                    ),
                    ("jobs/Cargo.toml", &member("jobs")),
                    (
                        "jobs/src/main.rs",
                        "use std::cell::RefCell;\nuse std::rc::Rc;\n\nasync fn tick() {}\n\n#[tokio::main]\nasync fn main() {\n    \
                     let queue = Rc::new(RefCell::new(vec![1, 2]));\n    \
                     tokio::spawn(async move {\n        tick().await;\n        queue.borrow_mut().pop()\n    });\n}\n",
                    ),
                ],
                true,
            );
            let only_api = explain_send(&dir, &["--package", "api"]);
            assert_eq!(only_api.code, Some(0), "{}", only_api.json);
            assert_eq!(only_api.json["compiles"], true);

            let all = explain_send(&dir, &["--workspace"]);
            assert_eq!(all.code, Some(1), "{}", all.json);
            let d = &diagnoses(&all)[0];
            assert_eq!(d["kind"], "rc", "{d}");
            assert_eq!(d["shape"], "captured", "{d}");
            assert_eq!(d["file"], "jobs/src/main.rs", "{d}");
        },
    );
}

#[test]
fn an_edition_2021_project_gets_its_edition_s_shape() {
    checked("an_edition_2021_project_gets_its_edition_s_shape", || {
        let manifest = format!(
            "[package]\nname = \"cache\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{TOKIO}\n{PROFILE}"
        );
        let dir = project(
            "edition-2021",
            &[
                ("Cargo.toml", &manifest),
                (
                    "src/main.rs",
                    "use std::collections::HashMap;\nuse std::sync::{Arc, Mutex};\n\nasync fn revalidate() {}\n\n\
                     #[tokio::main]\nasync fn main() {\n    let cache: Arc<Mutex<HashMap<u32, String>>> = Arc::default();\n    \
                     tokio::spawn(async move {\n        \
                     if let Some(page) = cache.lock().unwrap().get(&1).cloned() {\n            drop(page);\n        } else {\n            \
                     revalidate().await;\n        }\n    });\n}\n",
                ),
            ],
            true,
        );
        let outcome = explain_send(&dir, &["--all-targets"]);
        assert_eq!(outcome.code, Some(1), "{}", outcome.json);
        let d = &diagnoses(&outcome)[0];
        assert_eq!(d["kind"], "std-mutex-guard", "{d}");
        assert_eq!(d["shape"], "if-let-scrutinee", "{d}");
    });
}

#[test]
fn an_axum_handler_is_rechecked_on_a_copy_and_nothing_is_left_behind() {
    checked(
        "an_axum_handler_is_rechecked_on_a_copy_and_nothing_is_left_behind",
        || {
            let manifest = format!(
                "[package]\nname = \"sessions\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{TOKIO}\n\
             axum = {{ version = \"=0.8.9\", features = [\"macros\"] }}\n{PROFILE}"
            );
            let dir = project(
                "axum-handler",
                &[
                    ("Cargo.toml", &manifest),
                    (
                        "src/main.rs",
                        "use std::sync::{Arc, Mutex};\n\nuse axum::extract::State;\nuse axum::routing::get;\nuse axum::Router;\n\n\
                     async fn audit() {}\n\n\
                     async fn visits(State(count): State<Arc<Mutex<u64>>>) -> String {\n    \
                     let mut n = count.lock().unwrap();\n    *n += 1;\n    audit().await;\n    n.to_string()\n}\n\n\
                     #[tokio::main]\nasync fn main() {\n    \
                     let app: Router = Router::new().route(\"/\", get(visits)).with_state(Arc::default());\n    drop(app);\n}\n",
                    ),
                ],
                true,
            );
            let before = snapshot(&dir);
            // A temporary folder of its own, so that other tests' copies do not count.
            let temporary = dir.with_extension("tmp");
            let _ = fs::remove_dir_all(&temporary);
            fs::create_dir_all(&temporary).expect("a temporary folder");
            let outcome = explain_send_with(&dir, &[], &[("TMPDIR", temporary.as_path())]);
            assert_eq!(outcome.code, Some(1), "{}", outcome.json);
            let d = &diagnoses(&outcome)[0];
            assert_eq!(d["kind"], "std-mutex-guard", "{d}");
            assert_eq!(d["shape"], "held-across-await", "{d}");
            // Lines of the original file, not of the annotated copy.
            assert_eq!(d["line"], 10, "{d}");
            assert_eq!(d["await"]["line"], 12, "{d}");
            assert_eq!(outcome.json["checks"], 2, "one check and one recheck");
            assert_eq!(snapshot(&dir), before, "the project is unchanged");
            let left: Vec<_> = fs::read_dir(&temporary)
                .expect("the temporary folder")
                .flatten()
                .map(|e| e.file_name())
                .collect();
            assert!(left.is_empty(), "the copy is removed, found {left:?}");
        },
    );
}

#[test]
fn bad_input_gets_a_clear_verdict_and_changes_nothing() {
    checked("bad_input_gets_a_clear_verdict_and_changes_nothing", || {
        // Not a cargo project at all.
        let empty = project("not-a-project", &[("notes.txt", "hello")], false);
        let outcome = explain_send(&empty, &[]);
        assert_eq!(outcome.code, Some(3));
        let error = outcome.json["other_error"].as_str().unwrap_or_default();
        assert!(error.contains("cargo project"), "{error}");

        // No Cargo.lock, and a dependency that cannot be had offline: no lockfile appears.
        let manifest = "[package]\nname = \"offline\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                        [dependencies]\nno-such-crate-here-at-all = \"1\"\n";
        let offline = project(
            "no-lock-no-network",
            &[("Cargo.toml", manifest), ("src/main.rs", "fn main() {}\n")],
            false,
        );
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-explain-send"))
            .args(["explain-send", "--json", "--timeout", "60"])
            .current_dir(&offline)
            .env("CARGO_NET_OFFLINE", "true")
            .env_remove("CARGO")
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(3));
        let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert!(
            json["other_error"]
                .as_str()
                .is_some_and(|e| e.contains("no-such-crate")),
            "{json}"
        );
        assert!(
            !offline.join("Cargo.lock").exists(),
            "no lockfile is written"
        );

        // A proc-macro that panics, a constant that never finishes, a file that is not UTF-8.
        let workspace = "[workspace]\nresolver = \"3\"\nmembers = [\"app\", \"boom\"]\n";
        let broken = project(
            "broken-otherwise",
            &[
                ("Cargo.toml", workspace),
                (
                    "boom/Cargo.toml",
                    "[package]\nname = \"boom\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[lib]\nproc-macro = true\n",
                ),
                (
                    "boom/src/lib.rs",
                    "use proc_macro::TokenStream;\n\n#[proc_macro]\npub fn boom(_: TokenStream) -> TokenStream {\n    panic!(\"the macro gave up\")\n}\n",
                ),
                (
                    "app/Cargo.toml",
                    "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nboom = { path = \"../boom\" }\n",
                ),
                ("app/src/main.rs", "boom::boom!();\n\nfn main() {}\n"),
                (
                    "app/src/bin/forever.rs",
                    "const N: u64 = {\n    let mut i = 0u64;\n    loop {\n        i = i.wrapping_add(1);\n    }\n};\n\nfn main() {\n    println!(\"{N}\");\n}\n",
                ),
            ],
            true,
        );
        fs::write(
            broken.join("app/src/bin/latin1.rs"),
            b"// caf\xe9\nfn main() {}\n",
        )
        .expect("written");
        let before = snapshot(&broken);
        for (target, expected) in [
            ("app", "panicked"),
            ("forever", "taking a long time"),
            ("latin1", "UTF-8"),
        ] {
            let outcome = explain_send(&broken, &["--package", "app", "--bin", target]);
            assert_eq!(outcome.code, Some(3), "{target}: {}", outcome.json);
            let error = outcome.json["other_error"].as_str().unwrap_or_default();
            assert!(error.contains(expected), "{target}: {error}");
            assert!(
                outcome.took < Duration::from_secs(120),
                "{target} took {:?}",
                outcome.took
            );
        }
        assert_eq!(
            snapshot(&broken),
            before,
            "nothing is written into the project"
        );
    });
}

/// The project's own toolchain is used, and a newer compiler's diagnostics are read the same
/// way: a project pinned to the nightly toolchain, where one is installed.
#[test]
fn a_project_on_the_nightly_toolchain_is_diagnosed_the_same_way() {
    checked(
        "a_project_on_the_nightly_toolchain_is_diagnosed_the_same_way",
        || {
            let nightly = Command::new("rustup")
                .args(["run", "nightly", "rustc", "--version"])
                .output()
                .is_ok_and(|o| o.status.success());
            if !nightly {
                eprintln!("no nightly toolchain here: skipped");
                return;
            }
            let dir = project(
                "nightly",
                &[
                    (
                        "Cargo.toml",
                        "[package]\nname = \"night\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
                    ),
                    (
                        "rust-toolchain.toml",
                        "[toolchain]\nchannel = \"nightly\"\n",
                    ),
                    (
                        "src/main.rs",
                        "use std::future::Future;\nuse std::rc::Rc;\n\n\
                     fn spawn<F: Future + Send + 'static>(_: F) {}\n\nasync fn tick() {}\n\n\
                     fn main() {\n    spawn(async {\n        let shared = Rc::new(5);\n        tick().await;\n        drop(shared);\n    });\n}\n",
                    ),
                ],
                true,
            );
            // Its own target folder: the nightly's builds must not mix with the pinned ones.
            let output = Command::new(env!("CARGO_BIN_EXE_cargo-explain-send"))
                .args(["explain-send", "--json"])
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", dir.join("target"))
                .env_remove("CARGO")
                .env_remove("RUSTUP_TOOLCHAIN")
                .env_remove("RUSTC")
                .output()
                .expect("runs");
            let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
            assert_eq!(output.status.code(), Some(1), "{json}");
            let d = &json["diagnoses"][0];
            assert_eq!(d["kind"], "rc", "{d}");
            assert_eq!(d["shape"], "held-across-await", "{d}");
            assert_eq!(d["value"], "shared", "{d}");
            // And the check ran on the project's nightly, not on the toolchain of these tests.
            let info = fs::read_to_string(dir.join("target/.rustc_info.json"))
                .expect("cargo's rustc info");
            assert!(info.contains("-nightly"), "{info}");
        },
    );
}

/// A lockfile that no longer fits the manifest is cargo's complaint, said as cargo said it
/// (exit 3), not "it does not compile".
#[test]
fn a_stale_lockfile_is_reported_as_cargo_said_it() {
    checked("a_stale_lockfile_is_reported_as_cargo_said_it", || {
        let manifest = "[package]\nname = \"stale\"\nversion = \"0.1.0\"\nedition = \"2024\"\n";
        let dir = project(
            "stale-lock",
            &[("Cargo.toml", manifest), ("src/main.rs", "fn main() {}\n")],
            true,
        );
        fs::write(
            dir.join("Cargo.toml"),
            format!("{manifest}\n[dependencies]\n{TOKIO}\n"),
        )
        .expect("written");
        let before = snapshot(&dir);
        let outcome = explain_send(&dir, &[]);
        assert_eq!(outcome.code, Some(3), "{}", outcome.json);
        let error = outcome.json["other_error"].as_str().unwrap_or_default();
        assert!(
            error.contains("cargo could not check the project") && error.contains("lock file"),
            "{error}"
        );
        assert_eq!(snapshot(&dir), before, "the lockfile is not rewritten");
    });
}

/// Without a Cargo.lock the project is checked in a copy kept in the cache, with the
/// lockfile cargo resolved there: the second run builds nothing again.
#[test]
fn a_lockless_project_is_built_once_and_reused() {
    checked("a_lockless_project_is_built_once_and_reused", || {
        let dir = project(
            "lockless-reused",
            &[
                (
                    "Cargo.toml",
                    "[package]\nname = \"lockless\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nhelper = { path = \"helper\" }\n",
                ),
                (
                    "src/main.rs",
                    "fn main() {\n    println!(\"{}\", helper::answer());\n}\n",
                ),
                (
                    "helper/Cargo.toml",
                    "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
                ),
                ("helper/src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n"),
            ],
            false,
        );
        let before = snapshot(&dir);
        let run = || {
            Command::new(env!("CARGO_BIN_EXE_cargo-explain-send"))
                .args(["explain-send", "--json"])
                .current_dir(&dir)
                .env("CANNOT_BE_SENT_CACHE", cache_dir())
                .env_remove("CARGO_TARGET_DIR")
                .env_remove("CARGO")
                .env_remove("RUSTUP_TOOLCHAIN")
                .env_remove("CARGO_ENCODED_RUSTFLAGS")
                .output()
                .expect("runs")
        };
        let first = run();
        assert_eq!(first.status.code(), Some(0), "{first:?}");
        let first_err = String::from_utf8_lossy(&first.stderr);
        assert!(first_err.contains("has no Cargo.lock"), "{first_err}");
        let second = run();
        assert_eq!(second.status.code(), Some(0), "{second:?}");
        let second_err = String::from_utf8_lossy(&second.stderr);
        // cargo prints "Checking helper" only when it builds it.
        assert!(
            !second_err.contains("Checking helper"),
            "the second run rebuilt the dependency:\n{second_err}"
        );
        assert_eq!(
            snapshot(&dir),
            before,
            "no lockfile is written into the project"
        );
    });
}

/// Ctrl-C stops cargo (which runs in a process group of its own, out of the terminal's
/// reach) and leaves no copy behind.
#[cfg(unix)]
#[test]
fn an_interrupt_stops_cargo_and_leaves_nothing_behind() {
    checked("an_interrupt_stops_cargo_and_leaves_nothing_behind", || {
        let dir = project(
            "interrupted",
            &[
                (
                    "Cargo.toml",
                    "[package]\nname = \"interrupted\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
                ),
                (
                    "src/main.rs",
                    "const N: u64 = {\n    let mut i = 0u64;\n    loop {\n        i = i.wrapping_add(1);\n    }\n};\n\nfn main() {\n    println!(\"{N}\");\n}\n",
                ),
            ],
            true,
        );
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-explain-send"))
            .args(["explain-send", "--json"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("runs");
        // Wait until rustc is busy with the endless constant.
        let busy = || {
            Command::new("pgrep")
                .args(["-f", "crate-name interrupted"])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        while !busy() && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(busy(), "rustc never started");
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill runs");
        let interrupted = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("waits") {
                break status;
            }
            assert!(
                interrupted.elapsed() < Duration::from_secs(10),
                "still running 10 s after Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(130), "{status:?}");
        std::thread::sleep(Duration::from_millis(200));
        assert!(!busy(), "rustc was left running");
        let pid = child.id();
        let left: Vec<_> = fs::read_dir(std::env::temp_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("cargo-explain-send-{pid}-"))
            })
            .collect();
        assert!(left.is_empty(), "copies left: {left:?}");
    });
}
