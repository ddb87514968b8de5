//! `cargo xtask bless`: re-record every pinned `.stderr` from the current compiler.
//!
//! trybuild rewrites a `.stderr` when the environment says `TRYBUILD=overwrite`. The diff
//! shown afterwards is the point: read it before committing, since each file is what the
//! book shows its readers.

use anyhow::Result;

use crate::command::{cargo, run as run_command};

pub fn run() -> Result<()> {
    let mut record = cargo(&["test", "--workspace", "--test", "compile_fail*"]);
    record.env("TRYBUILD", "overwrite");
    run_command(&mut record)?;
    // The JSON example the book shows for explain is pinned the same way.
    let mut example = cargo(&[
        "test",
        "--test",
        "explain_corpus",
        "the_book_s_json_example_is_what_explain_prints",
    ]);
    example.env("TRYBUILD", "overwrite");
    run_command(&mut example)?;
    // And what rust-analyzer shows for the first exercise.
    let mut editor = cargo(&[
        "test",
        "--test",
        "editor",
        "the_workshop_s_editor_settings_show_the_diagnosis_and_clear_it_when_fixed",
    ]);
    editor.env("TRYBUILD", "overwrite");
    run_command(&mut editor)?;

    let mut changes = std::process::Command::new("git");
    changes
        .args([
            "status",
            "--short",
            "--",
            "*.stderr",
            "*.json",
            "checker/tests/editor",
        ])
        .current_dir(crate::root());
    run_command(&mut changes)?;
    let mut diff = std::process::Command::new("git");
    diff.args([
        "--no-pager",
        "diff",
        "--",
        "*.stderr",
        "*.json",
        "checker/tests/editor",
    ])
    .current_dir(crate::root());
    run_command(&mut diff)
}
