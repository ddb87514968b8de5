// Put into every page that `cargo xtask book` serves, after the page's secret and before
// mdBook's scripts: mdBook's Run buttons (and Ctrl-Enter in an editable block) compile the
// block on this machine, through the book's own server, instead of on play.rust-lang.org.
// mdBook's editor, its Run button and its undo button stay as they are.
(() => {
  "use strict";
  const RUN_PATH = "/__run";
  const secret = document.querySelector('meta[name="cannot-be-sent-run"]')?.content;
  if (!secret) return;

  // mdBook asks the Playground which crates it has, to decide which blocks may run there.
  // Here every block runs locally: answer for it, and send nothing to the Playground.
  const realFetch = window.fetch.bind(window);
  window.fetch = (url, options) => {
    if (url === "https://play.rust-lang.org/meta/crates") {
      const crates = new Response('{"crates":[]}', { headers: { "content-type": "application/json" } });
      return Promise.resolve(crates);
    }
    if (typeof url === "string" && url.startsWith("https://play.rust-lang.org/")) {
      return Promise.reject(new Error("this book runs code on this machine: press Run again"));
    }
    return realFetch(url, options);
  };

  // The file and region a block shows, from its `run-from:FILE#ANCHOR` class.
  function originOf(pre) {
    const code = pre.querySelector("code");
    const mark = [...code.classList].find((name) => name.startsWith("run-from:"));
    return mark ? mark.slice("run-from:".length) : null;
  }

  // The answer sits in the block, under the code, as mdBook's own `.result` does; unlike the
  // code it wraps, so it reads at a phone's width too.
  function resultBlock(pre) {
    let result = pre.querySelector(".result");
    if (!result) {
      result = document.createElement("div");
      result.className = "result run-answer";
      pre.append(result);
    }
    return result;
  }

  const STYLE = `
    pre > .run-answer { display: block; white-space: normal; overflow-wrap: anywhere;
      font-family: var(--mono-font, monospace); font-size: 0.875em; margin-top: 0.8em;
      padding-top: 0.6em; border-top: 1px solid var(--quote-border, #ccc); }
    .run-answer p { margin: 0.3em 0; }
    .run-answer .run-summary { font-weight: bold; }
    .run-answer .run-explanation { margin: 0.6em 0; padding-left: 0.8em;
      border-left: 3px solid var(--quote-border, #ccc); }
    .run-answer details { margin: 0.6em 0; }
    .run-answer summary { cursor: pointer; }
    .run-answer details > pre { white-space: pre; overflow-x: auto; margin: 0.4em 0; padding: 0.5em;
      font-size: 1em; background: var(--quote-bg, transparent); }
    .run-answer .run-outside { font-style: italic; }`;
  document.addEventListener("DOMContentLoaded", () => {
    const style = document.createElement("style");
    style.textContent = STYLE;
    document.head.append(style);
  });

  // The page's blocks of `file`, by region: { anchor: pre }.
  function blocksOf(file) {
    const found = {};
    for (const pre of document.querySelectorAll("pre.playground")) {
      const origin = originOf(pre);
      if (!origin) continue;
      const [blockFile, anchor] = origin.split("#");
      if (blockFile === file && !(anchor in found)) found[anchor] = pre;
    }
    return found;
  }

  function editorOf(pre) {
    const code = pre.querySelector("code");
    return window.ace && code.classList.contains("editable") ? window.ace.edit(code) : null;
  }

  // Numbers the lines of the file's blocks as the file does, so that they match the answer.
  function numberLines(answer) {
    if (!answer.file) return;
    const blocks = blocksOf(answer.file);
    for (const region of answer.regions) {
      const pre = blocks[region.anchor];
      const editor = pre && editorOf(pre);
      if (!editor) continue;
      editor.setOptions({ showGutter: true, showLineNumbers: true, firstLineNumber: region.first });
    }
  }

  // At load, each block of a file is numbered from the line its region starts on (its
  // `run-line:N` class), as the compiler counts.
  window.addEventListener("load", () => {
    for (const pre of document.querySelectorAll("pre.playground")) {
      const mark = [...pre.querySelector("code").classList].find((name) => name.startsWith("run-line:"));
      const editor = mark && editorOf(pre);
      if (!editor) continue;
      const first = Number(mark.slice("run-line:".length));
      editor.setOptions({ showGutter: true, showLineNumbers: true, firstLineNumber: first });
    }
  });

  // Where line `line` of the file is on this page: a block and its line, or which part of
  // the file it is in.
  function placeOf(answer, line) {
    const blocks = blocksOf(answer.file);
    const region = answer.regions.find((r) => r.first <= line && line <= r.last);
    if (region && blocks[region.anchor]) return { pre: blocks[region.anchor], row: line - region.first };
    if (region) return { outside: `in the region "${region.anchor}", not shown on this page` };
    const first = answer.regions[0];
    if (first && line < first.first) return { outside: "above the blocks: the file's imports, not editable here" };
    return { outside: "below the blocks: the checker's part of the file" };
  }

  function goTo(pre, row, column) {
    const editor = editorOf(pre);
    pre.scrollIntoView({ block: "center" });
    if (!editor) return;
    editor.gotoLine(row + 1, Math.max(0, column - 1), true);
    editor.focus();
  }

  // `text` as nodes, each "line N" and each "FILE:N:C" of the answer's file a link into
  // the block that shows it (or a note of the part of the file it is in).
  function withLineLinks(answer, text) {
    const nodes = [];
    if (!answer.file) return [document.createTextNode(text)];
    const file = answer.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(`(${file}):(\\d+)(?::(\\d+))?|\\bline (\\d+)`, "g");
    let at = 0;
    for (const match of text.matchAll(pattern)) {
      nodes.push(document.createTextNode(text.slice(at, match.index)));
      at = match.index + match[0].length;
      const line = Number(match[2] ?? match[4]);
      const column = Number(match[3] ?? 1);
      const place = placeOf(answer, line);
      if (place.pre) {
        const link = document.createElement("a");
        link.href = "#";
        link.className = "run-line";
        link.dataset.line = String(line);
        link.textContent = match[0];
        link.addEventListener("click", (event) => {
          event.preventDefault();
          goTo(place.pre, place.row, column);
        });
        nodes.push(link);
      } else {
        nodes.push(document.createTextNode(match[0]));
        const note = document.createElement("span");
        note.className = "run-outside";
        note.textContent = ` (${place.outside})`;
        nodes.push(note);
      }
    }
    nodes.push(document.createTextNode(text.slice(at)));
    return nodes;
  }

  function paragraph(answer, text, className) {
    const p = document.createElement("p");
    if (className) p.className = className;
    p.append(...withLineLinks(answer, text));
    return p;
  }

  // Long texts (the compiler's, a program's output) fold away, their first line showing.
  function folded(answer, title, text) {
    const details = document.createElement("details");
    const lines = text.split("\n");
    const summary = document.createElement("summary");
    const first = lines.find((line) => line.trim() !== "") ?? "";
    summary.textContent = lines.length > 12 ? `${title}: ${first} (${lines.length} lines)` : title;
    details.open = lines.length <= 12;
    const body = document.createElement("pre");
    body.append(...withLineLinks(answer, text));
    details.append(summary, body);
    return details;
  }

  // The answer: the verdict, explain's diagnoses (each with a link to its page), then the
  // compiler's words and what the program printed.
  function show(result, answer) {
    result.replaceChildren();
    result.append(paragraph(answer, answer.summary || answer.result.split("\n")[0], "run-summary"));
    for (const explanation of answer.explanations) {
      const box = document.createElement("div");
      box.className = "run-explanation";
      for (const line of explanation.text.split("\n")) {
        if (line.trim() !== "") box.append(paragraph(answer, line.trim()));
      }
      const more = document.createElement("p");
      const link = document.createElement("a");
      // mdBook declares `path_to_root` in each page (with `const`, so not on `window`).
      const root = typeof path_to_root === "string" ? path_to_root : "";
      link.href = root + explanation.page;
      link.textContent = explanation.page.replace(/\.html$/, "");
      more.append("More: ", link);
      box.append(more);
      result.append(box);
    }
    if (answer.note) result.append(paragraph(answer, answer.note));
    if (answer.compiler) result.append(folded(answer, "The compiler says", answer.compiler));
    if (answer.printed) result.append(folded(answer, "What it printed", answer.printed));
    numberLines(answer);
  }

  async function run(pre) {
    if (pre.dataset.run === "running") return;
    const result = resultBlock(pre);
    const origin = originOf(pre);
    // Every block of the same file on this page goes too: one program is built from all.
    const also = [];
    if (origin) {
      const [file, anchor] = origin.split("#");
      for (const [other, otherPre] of Object.entries(blocksOf(file))) {
        if (other !== anchor) also.push({ anchor: other, code: window.playground_text(otherPre) });
      }
    }
    const body = JSON.stringify({ code: window.playground_text(pre), origin, also });
    pre.dataset.run = "running";
    delete pre.dataset.ending;
    const started = Date.now();
    const progress = () => {
      const seconds = Math.round((Date.now() - started) / 1000);
      result.textContent =
        `Compiling with the pinned toolchain… ${seconds} s` +
        (seconds >= 3
          ? ". The first Run after the material's crates changed builds them, which takes a minute or two; later Runs take about a second."
          : "");
    };
    progress();
    const ticking = setInterval(progress, 1000);
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 300_000);
    try {
      const response = await realFetch(RUN_PATH, {
        method: "POST",
        headers: { "content-type": "application/json", "x-run-secret": secret },
        body,
        signal: stop.signal,
      });
      if (response.ok) {
        const answer = await response.json();
        pre.dataset.ending = answer.ending;
        if (answer.error) result.textContent = `Not run: ${answer.error}`;
        else show(result, answer);
      } else {
        result.textContent = await response.text();
        pre.dataset.ending = `refused-${response.status}`;
      }
    } catch (error) {
      result.textContent = `The book's server did not answer (${error.message}). Is \`cargo xtask book\` still running?`;
      pre.dataset.ending = "no-answer";
    } finally {
      clearTimeout(timer);
      clearInterval(ticking);
    }
    if (result.textContent.trim() === "") result.textContent = "No output";
    pre.dataset.run = "done";
  }

  const playgroundOf = (target) =>
    target instanceof Element ? target.closest("pre.playground") : null;

  // Capturing, so that this runs instead of mdBook's own handlers.
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target instanceof Element && event.target.closest(".play-button");
      const pre = button && playgroundOf(button);
      if (!pre) return;
      event.preventDefault();
      event.stopPropagation();
      run(pre);
    },
    true,
  );
  document.addEventListener(
    "keydown",
    (event) => {
      const pre = event.ctrlKey && event.key === "Enter" && playgroundOf(event.target);
      if (!pre) return;
      event.preventDefault();
      event.stopPropagation();
      run(pre);
    },
    true,
  );
  // mdBook's undo button restores an editable block; the answer to the old code goes too.
  document.addEventListener("click", (event) => {
    const reset = event.target instanceof Element && event.target.closest(".reset-button");
    const pre = reset && playgroundOf(reset);
    if (!pre) return;
    pre.querySelector(".result")?.remove();
    delete pre.dataset.run;
    delete pre.dataset.ending;
  });
})();
