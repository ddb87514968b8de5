//! An mdBook preprocessor that ends every page with its exercises, read from
//! `exercises/exercises.toml`, so the book never lists an exercise by hand; and that fills
//! in `{{#kinds-and-shapes}}` with the tables `explain` works from; and that marks the
//! blocks that show an exercise or a solution, which `cargo xtask book` makes runnable; and
//! that renders every figure the book quotes from its data (`{{#in-the-wild …}}`,
//! `{{#explain-corpus …}}`).
//!
//! mdBook runs it twice: `mdbook-exercises supports <renderer>` (every renderer is fine),
//! then with `[context, book]` as JSON on stdin, expecting the book back on stdout.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use checker::material::attempt_first::solutions_behind_a_show;
use checker::material::book::{
    RUN_IN_PAGE_ENV, exercise_references, exercises_section, kinds_and_shapes, numbered_blocks,
    region_first_line, runnable_blocks,
};
use checker::material::figures::{ExplainCorpus, WildSample, render_figures};
use checker::material::manifest::Manifest;
use serde_json::Value;

/// Where a page wants the generated tables of kinds and shapes.
const KINDS_AND_SHAPES: &str = "{{#kinds-and-shapes}}";

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("supports") {
        return ExitCode::SUCCESS;
    }
    match preprocess() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("mdbook-exercises: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn preprocess() -> Result<()> {
    let mut input = String::new();
    io::stdin()
        .read_to_string(&mut input)
        .context("reading the book from stdin")?;
    let Value::Array(mut pair) = serde_json::from_str(&input).context("parsing mdBook's JSON")?
    else {
        bail!("mdBook should send [context, book]");
    };
    if pair.len() != 2 {
        bail!("mdBook should send [context, book]");
    }
    let mut book = pair.pop().context("the book")?;
    let context = pair.pop().context("the context")?;
    let root = context
        .get("root")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .context("the context names the book's root")?;
    let manifest = Manifest::load(&root)?;
    let figures = Figures {
        sample: WildSample::load(&root)?,
        corpus: ExplainCorpus::load(&root)?,
    };

    let mut titles = HashMap::new();
    if let Some(sections) = book.get("sections") {
        collect_titles(sections, &mut titles);
    }
    let serving = std::env::var_os(RUN_IN_PAGE_ENV).is_some();
    if let Some(sections) = book.get_mut("sections") {
        append_exercises(
            sections,
            &manifest,
            &figures,
            &titles,
            serving.then_some(&root),
        )?;
    }
    serde_json::to_writer(io::stdout(), &book).context("writing the book")?;
    Ok(())
}

/// Every chapter's title by its path, for links that name the page they lead to.
fn collect_titles(items: &Value, titles: &mut HashMap<String, String>) {
    for item in items.as_array().into_iter().flatten() {
        let Some(chapter) = item.get("Chapter") else {
            continue;
        };
        if let (Some(path), Some(name)) = (
            chapter.get("path").and_then(Value::as_str),
            chapter.get("name").and_then(Value::as_str),
        ) {
            titles.insert(path.to_owned(), name.to_owned());
        }
        if let Some(sub_items) = chapter.get("sub_items") {
            collect_titles(sub_items, titles);
        }
    }
}

/// The data the book's figures come from.
struct Figures {
    sample: WildSample,
    corpus: ExplainCorpus,
}

/// Walks the chapters (and their sub-chapters): fills in figures and references to
/// exercises, and appends each page's exercises.
fn append_exercises(
    items: &mut Value,
    manifest: &Manifest,
    figures: &Figures,
    titles: &HashMap<String, String>,
    // The repository's root, when the book is served with Run in the page.
    serving: Option<&PathBuf>,
) -> Result<()> {
    let Some(items) = items.as_array_mut() else {
        return Ok(());
    };
    for item in items {
        let Some(chapter) = item.get_mut("Chapter") else {
            continue;
        };
        let page = chapter
            .get("path")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let (Some(page), Some(Value::String(content))) = (page, chapter.get_mut("content")) {
            *content = render_figures(content, &page, &figures.sample, &figures.corpus, titles)
                .map_err(anyhow::Error::msg)?;
            *content = exercise_references(content, &page, manifest).map_err(anyhow::Error::msg)?;
            *content = runnable_blocks(content, manifest, serving.is_some());
            if let Some(root) = serving {
                let first_line = |file: &str, anchor: &str| {
                    let text = std::fs::read_to_string(root.join(file)).ok()?;
                    region_first_line(&text, anchor)
                };
                *content = numbered_blocks(content, &first_line);
            }
            *content = solutions_behind_a_show(content);
            if content.contains(KINDS_AND_SHAPES) {
                *content = content.replace(KINDS_AND_SHAPES, &kinds_and_shapes(manifest, titles));
            }
            if let Some(section) = exercises_section(manifest, &page) {
                content.push_str(&section);
            }
        }
        if let Some(sub_items) = chapter.get_mut("sub_items") {
            append_exercises(sub_items, manifest, figures, titles, serving)?;
        }
    }
    Ok(())
}
