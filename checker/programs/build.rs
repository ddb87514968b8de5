//! Generates the list of programs the `material` binary can run: every solution, every
//! exercise that compiles as shipped (`runs-wrong`), and every proof that compiles. Each
//! file becomes a module, so they all build in one crate against one dependency build.
//! (That is why the material's files start with `//` comments, not `//!`: an included
//! file cannot carry inner doc comments.)

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    // This package sits at checker/programs/; the material is the repository's.
    let package = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = package
        .join("../..")
        .canonicalize()
        .expect("the repository's root exists");
    let manifest_path = root.join("exercises/exercises.toml");
    println!("cargo::rerun-if-changed={}", manifest_path.display());
    for folder in [
        "exercises",
        "solutions",
        "proofs/compiles",
        "proofs/runs-wrong",
    ] {
        println!("cargo::rerun-if-changed={}", root.join(folder).display());
    }

    let text = fs::read_to_string(&manifest_path).expect("exercises/exercises.toml is readable");
    let manifest: toml::Table = text
        .parse()
        .expect("exercises/exercises.toml is valid TOML");

    // (path relative to the root, whether it is broken on purpose)
    let mut programs: Vec<(String, bool)> = Vec::new();
    let exercises = manifest.get("exercise").and_then(|e| e.as_array());
    for exercise in exercises.into_iter().flatten() {
        let id = exercise
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if exercise.get("outcome").and_then(|v| v.as_str()) == Some("runs-wrong") {
            programs.push((format!("exercises/{id}.rs"), true));
        }
        let solutions = exercise.get("solution").and_then(|s| s.as_array());
        for solution in solutions.into_iter().flatten() {
            if let Some(file) = solution.get("file").and_then(|f| f.as_str()) {
                programs.push((format!("solutions/{file}"), false));
            }
        }
    }
    for (folder, broken) in [("proofs/compiles", false), ("proofs/runs-wrong", true)] {
        for file in rust_files(&root.join(folder)) {
            programs.push((format!("{folder}/{file}"), broken));
        }
    }

    let mut code = String::new();
    let mut table = String::from("pub const PROGRAMS: &[(&str, fn())] = &[\n");
    for (index, (rel, broken)) in programs.iter().enumerate() {
        let module = format!("program_{index}");
        if *broken {
            // Broken on purpose, in ways clippy rightly points out.
            code.push_str("#[allow(clippy::all)]\n");
        }
        let path = root.join(rel);
        if !path.is_file() {
            // The manifest test names the missing file; the other programs still build.
            continue;
        }
        // `include!` keeps the file's own paths and lines in every diagnostic, and lets the
        // wrapper call the file's private `main`.
        writeln!(
            code,
            "mod {module} {{\n    include!({:?});\n    pub fn __run_this_program() {{\n        main()\n    }}\n}}",
            path.display().to_string()
        )
        .unwrap();
        writeln!(table, "    ({rel:?}, {module}::__run_this_program),").unwrap();
    }
    table.push_str("];\n");
    code.push_str(&table);

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("programs.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

fn rust_files(folder: &Path) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    files.sort();
    files
}
