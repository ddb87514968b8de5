//! Figures the book quotes, rendered from the data they come from, so that no page can
//! disagree with it:
//!
//! * `{{#in-the-wild …}}`: the sample of public threads in `src/appendix/in-the-wild.toml`
//!   (the appendix's table and lists, and every count or share the prose quotes);
//! * `{{#explain-corpus …}}`: the size of `explain`'s real-world corpus
//!   (`checker/tests/explain-corpus/`) and what each recorded run of it with another compiler
//!   found (`checker/tests/explain-corpus/runs.toml`).
//!
//! [`typed_figures`] finds the figures a page types instead.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The sample's data file, relative to the repository's root.
pub const SAMPLE_PATH: &str = "src/appendix/in-the-wild.toml";
/// The corpus of programs `explain` is tested on.
pub const CORPUS_DIR: &str = "checker/tests/explain-corpus";
/// What each recorded run of the whole corpus, with a compiler other than the pinned one,
/// found.
pub const CORPUS_RUNS_PATH: &str = "checker/tests/explain-corpus/runs.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WildSample {
    #[serde(rename = "cause")]
    pub causes: Vec<WildCause>,
    #[serde(rename = "thread")]
    pub threads: Vec<WildThread>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WildCause {
    /// The anchor of its list in the appendix, and its name in `{{#in-the-wild count ID}}`.
    pub id: String,
    /// Markdown.
    pub name: String,
    /// The page that teaches it, relative to `src/`.
    pub page: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WildThread {
    pub link: String,
    pub cause: String,
    /// The year it was opened.
    pub year: u32,
    /// A lock's guard is involved, whatever the cause.
    #[serde(default)]
    pub lock: bool,
    /// One line, markdown.
    pub summary: String,
}

impl WildThread {
    /// `owner/repo#N`, from the link.
    pub fn label(&self) -> String {
        let path = self
            .link
            .trim_start_matches("https://github.com/")
            .trim_end_matches('/');
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            [owner, repo, "issues" | "pull", number] => format!("{owner}/{repo}#{number}"),
            _ => path.to_owned(),
        }
    }

    /// `owner/repo`, from the link.
    pub fn repository(&self) -> String {
        let label = self.label();
        label.split('#').next().unwrap_or_default().to_owned()
    }
}

impl WildSample {
    pub fn load(root: &Path) -> Result<WildSample> {
        let path = root.join(SAMPLE_PATH);
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let sample: WildSample =
            toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let problems = sample.problems();
        if !problems.is_empty() {
            bail!("{}: {}", path.display(), problems.join("; "));
        }
        Ok(sample)
    }

    /// Every way the data contradicts itself.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        for cause in &self.causes {
            if !ids.insert(cause.id.as_str()) {
                problems.push(format!("cause {} is listed twice", cause.id));
            }
        }
        let mut links = BTreeSet::new();
        for thread in &self.threads {
            if !ids.contains(thread.cause.as_str()) {
                problems.push(format!("{}: no cause {}", thread.link, thread.cause));
            }
            if !links.insert(thread.link.as_str()) {
                problems.push(format!("{} is listed twice", thread.link));
            }
            if !thread.link.starts_with("https://github.com/") || !thread.label().contains('#') {
                problems.push(format!(
                    "{}: not a GitHub issue or pull request",
                    thread.link
                ));
            }
            if thread.summary.trim().is_empty() || thread.summary.contains('\n') {
                problems.push(format!("{}: the summary is one line", thread.link));
            }
        }
        for cause in &self.causes {
            if self.count(&[cause.id.as_str()]) == 0 {
                problems.push(format!("cause {} has no thread", cause.id));
            }
        }
        problems
    }

    /// How many threads have one of these causes.
    pub fn count(&self, causes: &[&str]) -> usize {
        self.threads
            .iter()
            .filter(|t| causes.contains(&t.cause.as_str()))
            .count()
    }

    /// A share of the whole sample, as a whole percentage.
    pub fn share(&self, count: usize) -> String {
        let total = self.threads.len().max(1);
        format!("{}%", (count * 100 + total / 2) / total)
    }

    fn causes_by_count(&self) -> Vec<&WildCause> {
        let mut causes: Vec<&WildCause> = self.causes.iter().collect();
        causes.sort_by_key(|c| std::cmp::Reverse(self.count(&[c.id.as_str()])));
        causes
    }

    /// The markdown a `{{#in-the-wild ARGS}}` stands for, on `page`.
    fn render(
        &self,
        args: &[&str],
        page: &str,
        titles: &HashMap<String, String>,
    ) -> Result<String, String> {
        let up = "../".repeat(page.matches('/').count());
        let known = |ids: &[&str]| -> Result<(), String> {
            match ids
                .iter()
                .find(|id| !self.causes.iter().any(|c| c.id == **id))
            {
                Some(id) => Err(format!("no cause {id} in {SAMPLE_PATH}")),
                None if ids.is_empty() => Err("name at least one cause".to_owned()),
                None => Ok(()),
            }
        };
        let years = || {
            let years: BTreeSet<u32> = self.threads.iter().map(|t| t.year).collect();
            (
                years.first().copied().unwrap_or_default(),
                years.last().copied().unwrap_or_default(),
            )
        };
        match args {
            ["threads"] => Ok(self.threads.len().to_string()),
            ["repositories"] => Ok(self
                .threads
                .iter()
                .map(WildThread::repository)
                .collect::<BTreeSet<_>>()
                .len()
                .to_string()),
            ["first-year"] => Ok(years().0.to_string()),
            ["last-year"] => Ok(years().1.to_string()),
            ["locks"] => Ok(self.threads.iter().filter(|t| t.lock).count().to_string()),
            ["count", ids @ ..] => known(ids).map(|()| self.count(ids).to_string()),
            ["share", ids @ ..] => known(ids).map(|()| self.share(self.count(ids))),
            ["part", prefix] => {
                let count = self
                    .threads
                    .iter()
                    .filter(|t| {
                        self.causes
                            .iter()
                            .any(|c| c.id == t.cause && c.page.starts_with(prefix))
                    })
                    .count();
                Ok(count.to_string())
            }
            ["largest"] => {
                let cause = self.causes_by_count()[0];
                Ok(format!(
                    "[{}]({up}appendix/in-the-wild.md#{})",
                    lowercase_first(&cause.name),
                    cause.id
                ))
            }
            ["table"] => Ok(self.table(&up, titles)),
            ["lists"] => Ok(self.lists(&up, titles)),
            _ => Err(format!(
                "unknown form {{{{#in-the-wild {}}}}}",
                args.join(" ")
            )),
        }
    }

    fn page_link(&self, page: &str, up: &str, titles: &HashMap<String, String>) -> String {
        let title = titles.get(page).map_or(page, String::as_str);
        let title = title.replace('<', "\\<").replace('>', "\\>");
        format!("[{title}]({up}{page})")
    }

    fn table(&self, up: &str, titles: &HashMap<String, String>) -> String {
        let mut out = String::from(
            "| cause | threads | share | the page that teaches it |\n|---|---|---|---|\n",
        );
        for cause in self.causes_by_count() {
            let count = self.count(&[cause.id.as_str()]);
            let _ = writeln!(
                out,
                "| [{}](#{}) | {count} | {} | {} |",
                cause.name,
                cause.id,
                self.share(count),
                self.page_link(&cause.page, up, titles)
            );
        }
        out
    }

    fn lists(&self, up: &str, titles: &HashMap<String, String>) -> String {
        let mut out = String::new();
        for cause in self.causes_by_count() {
            let _ = write!(
                out,
                "<a id=\"{}\"></a>\n\n## {}\n\nTaught in {}.\n\n",
                cause.id,
                cause.name,
                self.page_link(&cause.page, up, titles)
            );
            let mut threads: Vec<&WildThread> = self
                .threads
                .iter()
                .filter(|t| t.cause == cause.id)
                .collect();
            threads.sort_by_key(|t| t.year);
            for thread in threads {
                let _ = writeln!(
                    out,
                    "- [{}]({}) ({}): {}",
                    thread.label(),
                    thread.link,
                    thread.year,
                    thread.summary
                );
            }
            out.push('\n');
        }
        out
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The corpus of `explain`, and what was recorded about runs of it.
#[derive(Debug)]
pub struct ExplainCorpus {
    /// Programs in the corpus today.
    pub programs: usize,
    /// Of which, programs that are expected to compile.
    pub compiling: usize,
    /// The compiler the test suite pins (`rust-toolchain.toml`'s channel).
    pub pinned: String,
    pub runs: Vec<CorpusRun>,
}

#[derive(Debug, Deserialize)]
struct ExplainCorpusRuns {
    #[serde(rename = "run", default)]
    runs: Vec<CorpusRun>,
}

/// One run of the whole corpus with another compiler, as the test recorded it.
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CorpusRun {
    /// `rustc --version` of the compiler.
    pub compiler: String,
    /// The day of the run, `YYYY-MM-DD`.
    pub date: String,
    /// Programs the corpus had then.
    pub programs: usize,
    /// Of which, programs that got exactly their expected diagnosis.
    pub as_expected: usize,
    /// Whether the JSON example of the appendix came out the same; absent if not checked.
    #[serde(default)]
    pub json_unchanged: Option<bool>,
}

impl CorpusRun {
    /// The record as a `[[run]]` table of `runs.toml`.
    pub fn to_toml(&self) -> String {
        let mut out = format!(
            "\n[[run]]\ncompiler = {:?}\ndate = {:?}\nprograms = {}\nas_expected = {}\n",
            self.compiler, self.date, self.programs, self.as_expected
        );
        if let Some(same) = self.json_unchanged {
            let _ = writeln!(out, "json_unchanged = {same}");
        }
        out
    }
}

impl ExplainCorpus {
    pub fn load(root: &Path) -> Result<ExplainCorpus> {
        let dir = root.join(CORPUS_DIR);
        let mut programs = 0;
        let mut compiling = 0;
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "rs") {
                programs += 1;
                let text = fs::read_to_string(&path)?;
                if text.lines().any(|l| l.trim() == "// expect: compiles") {
                    compiling += 1;
                }
            }
        }
        let runs_path = root.join(CORPUS_RUNS_PATH);
        let runs: ExplainCorpusRuns = toml::from_str(
            &fs::read_to_string(&runs_path)
                .with_context(|| format!("reading {}", runs_path.display()))?,
        )
        .with_context(|| format!("parsing {}", runs_path.display()))?;
        let toolchain = fs::read_to_string(root.join("rust-toolchain.toml"))?;
        let pinned = toolchain
            .parse::<toml::Table>()?
            .get("toolchain")
            .and_then(|t| t.get("channel"))
            .and_then(|c| c.as_str())
            .context("rust-toolchain.toml names a channel")?
            .to_owned();
        Ok(ExplainCorpus {
            programs,
            compiling,
            pinned,
            runs: runs.runs,
        })
    }

    fn render(&self, args: &[&str]) -> Result<String, String> {
        match args {
            ["programs"] => Ok(self.programs.to_string()),
            ["compiling"] => Ok(self.compiling.to_string()),
            ["failing"] => Ok((self.programs - self.compiling).to_string()),
            ["pinned"] => Ok(self.pinned.clone()),
            ["runs"] => {
                if self.runs.is_empty() {
                    return Ok("No run with another compiler has been recorded yet.".to_owned());
                }
                let mut out = String::from(
                    "| compiler | run on | programs then | diagnosed as expected | the JSON example |\n|---|---|---|---|---|\n",
                );
                for run in &self.runs {
                    let json = match run.json_unchanged {
                        Some(true) => "unchanged",
                        Some(false) => "changed",
                        None => "not compared",
                    };
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | {} | {} | {json} |",
                        run.compiler, run.date, run.programs, run.as_expected
                    );
                }
                Ok(out)
            }
            _ => Err(format!(
                "unknown form {{{{#explain-corpus {}}}}}",
                args.join(" ")
            )),
        }
    }
}

/// Fills in a page's `{{#in-the-wild …}}` and `{{#explain-corpus …}}`. `page` is its path
/// relative to `src/`; `titles` the chapters' titles by path. An unknown form or cause is an
/// error.
pub fn render_figures(
    content: &str,
    page: &str,
    sample: &WildSample,
    corpus: &ExplainCorpus,
    titles: &HashMap<String, String>,
) -> Result<String, String> {
    crate::material::book::expand_placeholders(content, |form, args| {
        let rendered = match form {
            "in-the-wild" => sample.render(args, page, titles),
            "explain-corpus" => corpus.render(args),
            _ => return Ok(None),
        };
        rendered.map(Some).map_err(|e| format!("{page}: {e}"))
    })
}

/// Places where `text` (the page `page`) types a figure that must come from data: a count of
/// the sample or of the corpus ("12 reports", "24 of the 140", "48 programs"), or a vague
/// share standing in for one ("about half of the reports").
pub fn typed_figures(page: &str, text: &str) -> Vec<String> {
    const NOUNS: &[&str] = &[
        "thread",
        "report",
        "program",
        "repositor",
        "public thread",
        "public report",
        "public bug report",
        "bug report",
    ];
    const VAGUE: &[&str] = &[
        "about half of",
        "half of the reports",
        "most common root cause",
        "most of the reports",
        "a third of the",
        "a quarter of the",
    ];
    let mut problems = Vec::new();
    let mut in_code = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let lower = line.to_ascii_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || "([,;:".contains(c))
            .filter(|w| !w.is_empty())
            .collect();
        let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
        let mut typed = false;
        for (i, word) in words.iter().enumerate() {
            if !number(word) {
                continue;
            }
            // "12 reports", "93 repositories", "48 public threads", "97 public bug reports"
            let following = words[i + 1..words.len().min(i + 4)].join(" ");
            if NOUNS.iter().any(|noun| following.starts_with(noun)) {
                typed = true;
            }
            // "24 of the 140", "48 of 48", "12 reports of 140"
            let of_number = |at: usize| {
                words.get(at) == Some(&"of")
                    && (words.get(at + 1).is_some_and(|w| number(w))
                        || (words.get(at + 1) == Some(&"the")
                            && words.get(at + 2).is_some_and(|w| number(w))))
            };
            if of_number(i + 1) || of_number(i + 2) {
                typed = true;
            }
        }
        if VAGUE.iter().any(|v| lower.contains(v)) {
            typed = true;
        }
        if typed {
            problems.push(format!(
                "{page}:{}: a typed figure; write {{{{#in-the-wild …}}}} or \
                 {{{{#explain-corpus …}}}} instead: {}",
                n + 1,
                line.trim()
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> WildSample {
        toml::from_str(
            r#"
            [[cause]]
            id = "a"
            name = "A thing"
            page = "culprits/a.md"
            [[cause]]
            id = "b"
            name = "B thing"
            page = "traps/b.md"
            [[thread]]
            link = "https://github.com/o/r/issues/1"
            cause = "b"
            year = 2020
            lock = true
            summary = "one"
            [[thread]]
            link = "https://github.com/o/r/pull/2"
            cause = "b"
            year = 2021
            summary = "two"
            [[thread]]
            link = "https://github.com/p/q/issues/3"
            cause = "a"
            year = 2024
            summary = "three"
            "#,
        )
        .expect("a valid sample")
    }

    fn corpus() -> ExplainCorpus {
        ExplainCorpus {
            programs: 66,
            compiling: 10,
            pinned: "1.95.0".into(),
            runs: vec![CorpusRun {
                compiler: "rustc 1.97.0-nightly".into(),
                date: "2026-12-01".into(),
                programs: 48,
                as_expected: 48,
                json_unchanged: Some(true),
            }],
        }
    }

    #[test]
    fn figures_come_from_the_data() {
        let sample = sample();
        assert!(sample.problems().is_empty());
        let titles = HashMap::from([("traps/b.md".to_owned(), "B's page".to_owned())]);
        let page = "{{#in-the-wild threads}} threads, {{#in-the-wild repositories}} repos, \
                    {{#in-the-wild first-year}}–{{#in-the-wild last-year}}, \
                    {{#in-the-wild count a b}}, {{#in-the-wild share b}}, \
                    {{#in-the-wild locks}}, {{#in-the-wild part culprits/}}, \
                    {{#explain-corpus programs}}/{{#explain-corpus failing}} {{#exercise x}}";
        let rendered =
            render_figures(page, "culprits/c.md", &sample, &corpus(), &titles).expect("renders");
        assert_eq!(
            rendered,
            "3 threads, 2 repos, 2020–2024, 3, 67%, 1, 1, 66/56 {{#exercise x}}"
        );
        let table = render_figures(
            "{{#in-the-wild table}}",
            "appendix/x.md",
            &sample,
            &corpus(),
            &titles,
        )
        .expect("renders");
        assert!(table.contains("| [B thing](#b) | 2 | 67% | [B's page](../traps/b.md) |"));
        assert!(table.find("B thing") < table.find("A thing"), "by count");
        let lists = sample.lists("../", &titles);
        assert!(lists.contains("- [o/r#1](https://github.com/o/r/issues/1) (2020): one\n"));
        assert!(lists.contains("- [o/r#2](https://github.com/o/r/pull/2) (2021): two\n"));
        for bad in ["{{#in-the-wild count z}}", "{{#in-the-wild nothing}}"] {
            assert!(render_figures(bad, "p.md", &sample, &corpus(), &titles).is_err());
        }
    }

    #[test]
    fn the_data_must_agree_with_itself() {
        let mut sample = sample();
        sample.threads[0].cause = "z".into();
        sample.threads[1].link = "https://github.com/p/q/issues/3".into();
        assert_eq!(sample.problems().len(), 2);
    }

    #[test]
    fn typed_figures_are_found() {
        for typed in [
            "found in 12 reports of 140",
            "account for 24 of the 140 threads",
            "with rustc 1.97 all 48 of 48 programs",
            "about half of the reports come from",
            "a sample of 97 public bug reports",
            "the most common root cause of all",
        ] {
            assert_eq!(typed_figures("p.md", typed).len(), 1, "{typed}");
        }
        for fine in [
            "The 40% compares the held lock with the fix.",
            "one of 3 fixes",
            "{{#in-the-wild count a}} of the {{#in-the-wild threads}} threads",
            "```\n12 reports\n```",
            "reports from 2020–2023 name it",
        ] {
            assert!(typed_figures("p.md", fine).is_empty(), "{fine}");
        }
    }
}
