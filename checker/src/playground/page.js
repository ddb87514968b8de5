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

  function resultBlock(pre) {
    let result = pre.querySelector(".result");
    if (!result) {
      result = document.createElement("code");
      result.className = "result hljs language-bash";
      pre.append(result);
    }
    return result;
  }

  async function run(pre) {
    if (pre.dataset.run === "running") return;
    const result = resultBlock(pre);
    const body = JSON.stringify({ code: window.playground_text(pre), origin: originOf(pre) });
    pre.dataset.run = "running";
    delete pre.dataset.ending;
    result.innerText = "Compiling with the pinned toolchain… (the first Run after a change to the material's crates takes longer)";
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 300_000);
    let text;
    try {
      const response = await realFetch(RUN_PATH, {
        method: "POST",
        headers: { "content-type": "application/json", "x-run-secret": secret },
        body,
        signal: stop.signal,
      });
      if (response.ok) {
        const answer = await response.json();
        text = answer.error ? `Not run: ${answer.error}` : answer.result;
        pre.dataset.ending = answer.ending;
      } else {
        text = await response.text();
        pre.dataset.ending = `refused-${response.status}`;
      }
    } catch (error) {
      text = `The book's server did not answer (${error.message}). Is \`cargo xtask book\` still running?`;
      pre.dataset.ending = "no-answer";
    } finally {
      clearTimeout(timer);
    }
    result.innerText = text.trim() === "" ? "No output" : text;
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
