//! Verdicts of the slow checks, replayed while nothing they read has changed.
//!
//! Most of `cargo test`'s time goes to checks that run cargo or rustc on the material
//! (pinned errors, the workshop, explain on programs and projects, rust-analyzer). Their
//! outcome is decided by what they read: the files of the material, the programs built from
//! the checker's code (the test binary itself and the tools it runs), the compiler and the
//! settings that reach it. A check that passed is recorded under
//! `target/test-verdicts/` with a key made of all of that; while the key is the same, the
//! check passes again without running, the way cargo does not rebuild what has not
//! changed. Anything different in the key runs it: an edited file, a tool rebuilt into other
//! bytes, another compiler. A failure is never recorded.
//!
//! Programs are known by their bytes, not by when they were built: an edit to the exercise
//! manifest reruns the build script of the `material` binary (checker/programs/) and cargo
//! links it again, byte for byte the same when no program changed, and the checks then have
//! no reason to run again. The
//! checks that compile and run the material but never read an exercise's hints key the
//! manifest without them ([`Inputs::material_but_hints`]), so rewording a hint reruns only
//! what shows hints: the book, the workshop, the manifest's own test.
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

use crate::material::manifest::{MANIFEST_PATH, Manifest};

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
    pub fn path(self, relative: &str) -> Self {
        self.path_read_as(relative, |_, bytes| bytes)
    }

    /// A path whose files are keyed as `key_of` turns their content (given their path
    /// relative to the root).
    fn path_read_as(mut self, relative: &str, key_of: impl Fn(&Path, Vec<u8>) -> Vec<u8>) -> Self {
        let start = self.root.join(relative);
        let mut files = Vec::new();
        collect_files(&start, &mut files);
        files.sort();
        self.add(b"path", relative.as_bytes());
        for file in files {
            let name = file.strip_prefix(&self.root).unwrap_or(&file).to_owned();
            let bytes = key_of(&name, fs::read(&file).unwrap_or_default());
            self.add(name.as_os_str().as_encoded_bytes(), &bytes);
        }
        self
    }

    /// Several paths, relative to the root.
    pub fn paths(self, relative: &[&str]) -> Self {
        relative.iter().fold(self, |inputs, path| inputs.path(path))
    }

    /// Every path of [`MATERIAL`], with the exercise manifest keyed without its hints: for
    /// the checks that never read a hint (pinned errors, behaviour checks, wrong fixes, the
    /// editor). A manifest that does not load as the checks load it is keyed whole, hints and
    /// all: every such check fails on it, whatever its hints say.
    pub fn material_but_hints(self) -> Self {
        MATERIAL
            .iter()
            .fold(self, |inputs, path| inputs.path_but_hints(path))
    }

    /// A path, relative to the root, whose exercise manifest (if it holds it) is keyed
    /// without its hints, as [`Inputs::material_but_hints`] keys it.
    pub fn path_but_hints(self, relative: &str) -> Self {
        self.path_read_as(relative, |name, bytes| {
            if name == Path::new(MANIFEST_PATH) {
                manifest_without_hints(&bytes).unwrap_or(bytes)
            } else {
                bytes
            }
        })
    }

    /// A program the check runs, known by its bytes: a program cargo built again into the
    /// same bytes is the same program.
    pub fn program(mut self, path: &Path) -> Self {
        let digest = program_digest(path);
        self.add(path.as_os_str().as_encoded_bytes(), digest.as_bytes());
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

/// The manifest's text with every exercise's `hints` left out, in one canonical form; `None`
/// when it does not load as [`Manifest::load`] reads it.
fn manifest_without_hints(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    toml::from_str::<Manifest>(text).ok()?;
    let mut table: toml::Table = text.parse().ok()?;
    if let Some(toml::Value::Array(exercises)) = table.get_mut("exercise") {
        for exercise in exercises.iter_mut().filter_map(toml::Value::as_table_mut) {
            exercise.remove("hints");
        }
    }
    let mut canonical = b"manifest without hints\n".to_vec();
    canonical.extend(toml::to_string(&table).ok()?.into_bytes());
    Some(canonical)
}

/// A digest of a program's bytes. Reading a program is slow in a test binary built without
/// optimisation (tens of megabytes), so a digest is kept beside the verdicts with the stamp
/// the program had (size, modification time, inode) and reused while the stamp is the same,
/// as cargo trusts a file's time before its content. A program written in the last few
/// seconds is read every time, and its digest not kept: two writes within one tick of the
/// file system's clock can leave the same stamp. An unreadable program is "absent", which
/// is itself an input.
fn program_digest(path: &Path) -> String {
    let Ok(meta) = fs::metadata(path) else {
        return "absent".into();
    };
    let settled = meta
        .modified()
        .ok()
        .and_then(|at| at.elapsed().ok())
        .is_some_and(|age| age.as_secs() >= 3);
    let stamp = program_stamp(&meta);
    let kept = digest_file(path);
    if settled
        && let Some(kept) = kept
            .as_deref()
            .and_then(|file| fs::read_to_string(file).ok())
        && let Some((kept_stamp, digest)) = kept.split_once('\n')
        && kept_stamp == stamp
    {
        return digest.to_owned();
    }
    let Ok(bytes) = fs::read(path) else {
        return "absent".into();
    };
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    let digest = format!("{:016x}", hasher.finish());
    if settled && let Some(file) = kept {
        write_whole(&file, format!("{stamp}\n{digest}").as_bytes());
    }
    digest
}

/// Where the digest of the program at `path` is kept: one file per program path.
fn digest_file(path: &Path) -> Option<PathBuf> {
    let mut hasher = DefaultHasher::new();
    path.hash(&mut hasher);
    Some(
        folder()?
            .join("programs")
            .join(format!("{:016x}", hasher.finish())),
    )
}

/// Writes `bytes` to a file of its own, then renames it into place: a reader never sees half
/// of it, and two test binaries writing the same file at once leave one whole.
fn write_whole(file: &Path, bytes: &[u8]) {
    let Some(dir) = file.parent() else { return };
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let temporary = dir.join(format!(".{name}.{}", std::process::id()));
    let written = fs::File::create(&temporary).and_then(|mut f| f.write_all(bytes));
    if written.is_ok() {
        let _ = fs::rename(&temporary, file);
    } else {
        let _ = fs::remove_file(&temporary);
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
    write_whole(&folder.join(file_name(check)), key.as_bytes());
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
    fn build_output_is_not_an_input_but_a_program_rebuilt_into_other_bytes_is() {
        let dir = scratch("output");
        let before = Inputs::new(&dir).path("material").key();
        fs::create_dir_all(dir.join("material/target")).expect("target");
        fs::write(dir.join("material/target/x"), "built").expect("x");
        assert_eq!(before, Inputs::new(&dir).path("material").key());

        let program = dir.join("program");
        fs::write(&program, "v1").expect("program");
        let first = Inputs::new(&dir).program(&program).key();
        fs::remove_file(&program).expect("removed");
        fs::write(&program, "v1").expect("relinked into the same bytes");
        assert_eq!(first, Inputs::new(&dir).program(&program).key());
        // Same size, same second: only the bytes tell these apart.
        fs::write(&program, "v2").expect("rebuilt");
        assert_ne!(first, Inputs::new(&dir).program(&program).key());
        fs::remove_file(&program).expect("removed");
        assert_ne!(first, Inputs::new(&dir).program(&program).key(), "gone");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_settled_program_s_digest_is_kept_and_its_next_build_is_read_again() {
        let dir = scratch("settled");
        let program = dir.join("program");
        let set_time = |seconds_ago: u64| {
            let at = std::time::SystemTime::now() - std::time::Duration::from_secs(seconds_ago);
            fs::File::options()
                .write(true)
                .open(&program)
                .and_then(|f| f.set_modified(at))
                .expect("the time is set");
        };
        fs::write(&program, "v1").expect("program");
        set_time(3600);
        let first = Inputs::new(&dir).program(&program).key();
        let kept = digest_file(&program).expect("a target folder");
        assert!(kept.is_file(), "the digest is kept");
        assert_eq!(first, Inputs::new(&dir).program(&program).key());
        fs::write(&program, "v2").expect("rebuilt");
        set_time(1800);
        assert_ne!(first, Inputs::new(&dir).program(&program).key());
        let _ = fs::remove_file(kept);
        let _ = fs::remove_dir_all(&dir);
    }

    const MANIFEST: &str = r#"
[[exercise]]
id = "one"
title = "One"
page = "p.md"
outcome = "compile-fail"
diagnosis = { kind = "std-mutex-guard", shape = "held-across-await" }
hints = ["a nudge", "nearly the answer"]

[[exercise.solution]]
file = "one.rs"
note = "n"
"#;

    /// A workshop-shaped scratch folder with `manifest` as its exercise manifest.
    fn material(name: &str, manifest: &str) -> PathBuf {
        let dir = scratch(name);
        for folder in MATERIAL {
            fs::create_dir_all(dir.join(folder)).expect("folder");
        }
        fs::write(dir.join(MANIFEST_PATH), manifest).expect("manifest");
        dir
    }

    fn keys(dir: &Path) -> (String, String) {
        (
            Inputs::new(dir).paths(MATERIAL).key(),
            Inputs::new(dir).material_but_hints().key(),
        )
    }

    #[test]
    fn a_reworded_hint_changes_only_the_key_of_the_checks_that_read_hints() {
        let dir = material("hints", MANIFEST);
        let (whole, but_hints) = keys(&dir);
        fs::write(
            dir.join(MANIFEST_PATH),
            MANIFEST.replace("a nudge", "a gentler nudge"),
        )
        .expect("reworded");
        let (whole_after, but_hints_after) = keys(&dir);
        assert_ne!(whole, whole_after);
        assert_eq!(but_hints, but_hints_after);

        for (from, to) in [
            ("compile-fail", "runs-wrong"),
            ("one.rs", "one--other.rs"),
            (r#"note = "n""#, r#"note = "another note""#),
        ] {
            fs::write(dir.join(MANIFEST_PATH), MANIFEST.replace(from, to)).expect("edit");
            assert_ne!(but_hints, keys(&dir).1, "{from} -> {to} is seen");
        }
        fs::write(dir.join(MANIFEST_PATH), MANIFEST).expect("back");
        fs::write(dir.join("solutions/one.rs"), "fn main() {}").expect("a solution");
        assert_ne!(but_hints, keys(&dir).1, "the other files are keyed");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_manifest_that_does_not_load_is_keyed_hints_and_all() {
        // Hints of the wrong type: the checks fail to load it, so the broken hint counts.
        let broken = MANIFEST.replace(r#"hints = ["a nudge", "nearly the answer"]"#, "hints = 3");
        let dir = material("broken", &broken);
        let (_, before) = keys(&dir);
        fs::write(dir.join(MANIFEST_PATH), broken.replace("= 3", "= 4")).expect("edit");
        assert_ne!(before, keys(&dir).1);
        assert!(manifest_without_hints(broken.as_bytes()).is_none());
        assert!(manifest_without_hints(MANIFEST.as_bytes()).is_some());
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
