//! Verdicts of the slow checks, replayed while nothing they read has changed.
//!
//! Most of `cargo test`'s time goes to checks that run cargo or rustc on the material
//! (pinned errors, the workshop, explain on programs and projects, rust-analyzer). Their
//! outcome is decided by what they read: the files of the material, the programs built from
//! the checker's code (the test binary itself and the tools it runs), the compiler and the
//! settings that reach it. A check that passed is recorded under
//! `target/test-verdicts/` with a key made of all of that; while the key is the same, the
//! check passes again without running, the way cargo does not rebuild what has not
//! changed. Anything different in the key runs it: an edited file, a rebuilt tool, another
//! compiler. A failure is never recorded.
//!
//! Every check runs when `CANNOT_BE_SENT_TEST_CACHE=off`, when `CI` is set (a CI run
//! starts from a fresh clone anyway, and must never trust a restored `target/`), and when
//! `TRYBUILD` is set (re-recording the pinned errors must compile them).

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The folder of the verdicts, inside the target folder of the running test binary.
pub const FOLDER: &str = "test-verdicts";
/// Checks replayed and checks run in the current `cargo test`, one empty file each (named
/// after the check), so that `cargo xtask test` can say how many were replayed.
pub const REPLAYED: &str = "replayed";
pub const RAN: &str = "ran";

/// The switch that turns replaying off.
pub const SWITCH: &str = "CANNOT_BE_SENT_TEST_CACHE";

/// Files every check reads: the workspace's manifests and lockfile, the toolchain file, and
/// cargo's configuration in the project.
const ALWAYS: &[&str] = &["Cargo.toml", "Cargo.lock", "rust-toolchain.toml", ".cargo"];

/// The material a scratch workshop is made of: what `Workshop::open_at` copies and builds.
pub const MATERIAL: &[&str] = &[
    "exercises",
    "solutions",
    "proofs",
    "workshop",
    "checker/src",
];

/// Settings that change what cargo and rustc do, or what they print.
const SETTINGS: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "RUSTDOCFLAGS",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_HOME",
    "CARGO_TERM_COLOR",
    "CARGO_NET_OFFLINE",
    "COLUMNS",
    "RUSTUP_TOOLCHAIN",
    "TMPDIR",
    "CANNOT_BE_SENT_BOOK_URL",
    "CANNOT_BE_SENT_CACHE",
];

/// Whether a passing verdict may be replayed in this run.
pub fn enabled() -> bool {
    let off = std::env::var(SWITCH).is_ok_and(|v| v == "off" || v == "0");
    !off && std::env::var_os("CI").is_none() && std::env::var_os("TRYBUILD").is_none()
}

/// What a check reads, hashed as it is added.
#[derive(Clone)]
pub struct Inputs {
    root: PathBuf,
    hasher: DefaultHasher,
    /// A second hash over the same bytes with a different start, for a 128-bit key.
    second: DefaultHasher,
}

impl Inputs {
    /// The inputs of every check in the workspace at `root`: the compiler (its version and
    /// whether `rust-src` is installed), the settings that reach it, the workspace's
    /// manifests and lockfile, and the running test binary.
    pub fn new(root: &Path) -> Self {
        let mut second = DefaultHasher::new();
        "second".hash(&mut second);
        let mut inputs = Inputs {
            root: root.to_owned(),
            hasher: DefaultHasher::new(),
            second,
        };
        inputs.add(b"compiler", toolchain_fingerprint(root).as_bytes());
        for name in SETTINGS {
            let value = std::env::var_os(name).unwrap_or_default();
            inputs.add(name.as_bytes(), value.as_encoded_bytes());
        }
        for path in ALWAYS {
            inputs = inputs.path(path);
        }
        if let Ok(exe) = std::env::current_exe() {
            inputs = inputs.program(&exe);
        }
        inputs
    }

    fn add(&mut self, label: &[u8], bytes: &[u8]) {
        for hasher in [&mut self.hasher, &mut self.second] {
            label.hash(hasher);
            bytes.hash(hasher);
        }
    }

    /// A file or a folder (every file under it, by name and content, but build output),
    /// relative to the root. A path that does not exist counts as absent, which is itself
    /// an input.
    pub fn path(mut self, relative: &str) -> Self {
        let start = self.root.join(relative);
        let mut files = Vec::new();
        collect_files(&start, &mut files);
        files.sort();
        self.add(b"path", relative.as_bytes());
        for file in files {
            let name = file.strip_prefix(&self.root).unwrap_or(&file).to_owned();
            let bytes = fs::read(&file).unwrap_or_default();
            self.add(name.as_os_str().as_encoded_bytes(), &bytes);
        }
        self
    }

    /// Several paths, relative to the root.
    pub fn paths(self, relative: &[&str]) -> Self {
        relative.iter().fold(self, |inputs, path| inputs.path(path))
    }

    /// A program the check runs: known by its size, its modification time and its inode,
    /// which cargo changes whenever it builds the program again.
    pub fn program(mut self, path: &Path) -> Self {
        let stamp = fs::metadata(path)
            .map(|m| program_stamp(&m))
            .unwrap_or_default();
        self.add(path.as_os_str().as_encoded_bytes(), stamp.as_bytes());
        self
    }

    /// Anything else the outcome depends on: a tool's version, a setting.
    pub fn text(mut self, label: &str, value: &str) -> Self {
        self.add(label.as_bytes(), value.as_bytes());
        self
    }

    fn key(&self) -> String {
        format!(
            "{:016x}{:016x}",
            self.hasher.clone().finish(),
            self.second.clone().finish()
        )
    }
}

#[cfg(unix)]
fn program_stamp(meta: &fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!(
        "{} {}.{} {}",
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ino()
    )
}

#[cfg(not(unix))]
fn program_stamp(meta: &fs::Metadata) -> String {
    format!("{} {:?}", meta.len(), meta.modified().ok())
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) {
    let Ok(meta) = fs::metadata(path) else {
        return;
    };
    if meta.is_file() {
        files.push(path.to_owned());
        return;
    }
    for entry in fs::read_dir(path).into_iter().flatten().flatten() {
        let name = entry.file_name();
        if name == "target" || name == "node_modules" || name == ".git" {
            continue;
        }
        collect_files(&entry.path(), files);
    }
}

/// `rustc -vV` as the project's toolchain file selects it, and whether `rust-src` is
/// installed; asked once per test binary.
fn toolchain_fingerprint(root: &Path) -> &'static str {
    static FINGERPRINT: OnceLock<String> = OnceLock::new();
    FINGERPRINT.get_or_init(|| {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let version = Command::new(&rustc)
            .arg("-vV")
            .current_dir(root)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let source = crate::material::toolchain::observe(root)
            .map(|o| o.has_rust_src)
            .unwrap_or(false);
        format!("{version}\nrust-src: {source}")
    })
}

/// The folder of the verdicts: `target/test-verdicts/`, beside the running test binary
/// (`target/debug/deps/…`), wherever the target folder is.
fn folder() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let target = exe.parent()?.parent()?.parent()?;
    Some(target.join(FOLDER))
}

fn file_name(check: &str) -> String {
    check
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '.'
            }
        })
        .collect()
}

fn mark(kind: &str, check: &str) {
    if let Some(folder) = folder() {
        let dir = folder.join(kind);
        if fs::create_dir_all(&dir).is_ok() {
            let _ = fs::write(dir.join(file_name(check)), b"");
        }
    }
}

fn recorded(check: &str) -> Option<String> {
    fs::read_to_string(folder()?.join(file_name(check))).ok()
}

fn record(check: &str, key: &str) {
    let Some(folder) = folder() else { return };
    if fs::create_dir_all(&folder).is_err() {
        return;
    }
    // Written whole, then renamed: a check cut short never leaves half a key.
    let name = file_name(check);
    let temporary = folder.join(format!(".{name}.{}", std::process::id()));
    let written = fs::File::create(&temporary).and_then(|mut f| f.write_all(key.as_bytes()));
    if written.is_ok() {
        let _ = fs::rename(&temporary, folder.join(name));
    } else {
        let _ = fs::remove_file(&temporary);
    }
}

fn forget(check: &str) {
    if let Some(folder) = folder() {
        let _ = fs::remove_file(folder.join(file_name(check)));
    }
}

/// Runs `check` unless it passed before with exactly these inputs. A pass is recorded; a
/// failure (an `Err`, or a panic) removes the record.
pub fn replay_or_run<E>(
    name: &str,
    inputs: &Inputs,
    check: impl FnOnce() -> Result<(), E>,
) -> Result<(), E> {
    let key = inputs.key();
    if enabled() && recorded(name).as_deref() == Some(key.as_str()) {
        mark(REPLAYED, name);
        return Ok(());
    }
    forget(name);
    mark(RAN, name);
    let outcome = check();
    if outcome.is_ok() {
        record(name, &key);
    }
    outcome
}

/// The same for a `#[test]` that fails by panicking.
pub fn replay_or_run_test(name: &str, inputs: &Inputs, check: impl FnOnce()) {
    let outcome: Result<(), ()> = replay_or_run(name, inputs, || {
        check();
        Ok(())
    });
    outcome.unwrap_or(());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("verdicts-unit-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("material/nested")).expect("scratch");
        fs::write(dir.join("material/a.rs"), "fn a() {}").expect("a");
        fs::write(dir.join("material/nested/b.rs"), "fn b() {}").expect("b");
        dir
    }

    #[test]
    fn a_changed_file_anywhere_under_a_folder_changes_the_key() {
        let dir = scratch("changed");
        let before = Inputs::new(&dir).path("material").key();
        assert_eq!(before, Inputs::new(&dir).path("material").key(), "stable");
        fs::write(dir.join("material/nested/b.rs"), "fn b() { }").expect("edit");
        let after = Inputs::new(&dir).path("material").key();
        assert_ne!(before, after, "an edit two folders down is seen");
        fs::rename(
            dir.join("material/nested/b.rs"),
            dir.join("material/nested/c.rs"),
        )
        .expect("rename");
        assert_ne!(
            after,
            Inputs::new(&dir).path("material").key(),
            "a renamed file is seen"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn build_output_is_not_an_input_but_a_rebuilt_program_is() {
        let dir = scratch("output");
        let before = Inputs::new(&dir).path("material").key();
        fs::create_dir_all(dir.join("material/target")).expect("target");
        fs::write(dir.join("material/target/x"), "built").expect("x");
        assert_eq!(before, Inputs::new(&dir).path("material").key());

        let program = dir.join("program");
        fs::write(&program, "v1").expect("program");
        let first = Inputs::new(&dir).program(&program).key();
        fs::remove_file(&program).expect("removed");
        fs::write(&program, "v2").expect("rebuilt");
        assert_ne!(first, Inputs::new(&dir).program(&program).key());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn labels_keep_inputs_apart() {
        let dir = scratch("labels");
        let one = Inputs::new(&dir).text("a", "bc").key();
        let other = Inputs::new(&dir).text("ab", "c").key();
        assert_ne!(one, other);
        let _ = fs::remove_dir_all(&dir);
    }
}
