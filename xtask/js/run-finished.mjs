// Run in the page as a reader meets it after the first minute, in Chromium, through the
// book's server (imported by browser.mjs, which starts the server and the browser):
//
// - the answer fits: the verdict, the diagnosis wrapped at 360 px and at the book's width,
//   its page a link that leads somewhere, the compiler's text folded when long, with no path
//   of this machine (a screenshot at 360 px: run-in-page-360.png);
// - line numbers: the blocks are numbered as the file is, and a line the answer names is a
//   link that puts the cursor on it;
// - several blocks, one program: a method added in the state block and called from the
//   handler block; the tokio-mutex fix with its `use` line typed into the state block;
// - limits: a program whose child keeps the output open answers at once, and a page that
//   hangs up frees the runner;
// - exact requests: a content type that only starts like JSON, two Host headers and a whole
//   URL as the target are refused.

import { connect } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const FILE = "exercises/oauth-callback.rs";

export async function runFinished({ browser, served, shotDir, repo, check }) {
  const region = (file, name) => {
    const text = readFileSync(join(repo, file), "utf8");
    const found = text.match(new RegExp(`// ANCHOR: ${name}\\n([\\s\\S]*?)// ANCHOR_END: ${name}\\n`));
    if (!found) throw new Error(`${file} has no region ${name}`);
    return found[1];
  };
  const firstLine = (file, name) =>
    readFileSync(join(repo, file), "utf8").split("\n").indexOf(`// ANCHOR: ${name}`) + 2;

  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  try {
    await page.goto(served.base + "story/oauth-callback.html", { waitUntil: "load" });
    const block = (anchor) =>
      page.locator("pre.playground", { has: page.locator(`code[class*="run-from:${FILE}#${anchor}"]`) });
    const setEditor = (anchor, text) =>
      block(anchor).evaluate((pre, text) => window.ace.edit(pre.querySelector("code")).setValue(text, 1), text);
    const run = async (anchor) => {
      const pre = block(anchor);
      const started = Date.now();
      await pre.evaluate((pre) => delete pre.dataset.run);
      await pre.evaluate((pre) => pre.querySelector(".play-button").click());
      await page.waitForFunction((pre) => pre.dataset.run === "done", await pre.elementHandle(), {
        timeout: 180_000,
      });
      return {
        seconds: (Date.now() - started) / 1000,
        ending: await pre.getAttribute("data-ending"),
        text: await pre.locator(".result").innerText(),
      };
    };

    // The answer that fits, at a phone's width.
    await setEditor("handler", region(FILE, "handler"));
    const failing = await run("handler");
    const layout = await block("handler").evaluate((pre) => {
      const answer = pre.querySelector(".run-answer");
      const explanation = answer?.querySelector(".run-explanation");
      const link = explanation?.querySelector("a[href]:not(.run-line)");
      const details = answer?.querySelector("details");
      return {
        answerFits: answer ? answer.scrollWidth <= answer.clientWidth + 1 : false,
        explanationFits: explanation ? explanation.scrollWidth <= explanation.clientWidth + 1 : false,
        width: answer?.clientWidth ?? 0,
        link: link?.href ?? "",
        folded: details ? !details.open : false,
        summary: answer?.querySelector(".run-summary")?.textContent ?? "",
      };
    });
    check(
      `the answer at 360 px: verdict first, the diagnosis wrapped to the column (${layout.width} px)`,
      failing.ending === "does-not-compile" &&
        layout.summary.startsWith("✗") &&
        layout.answerFits &&
        layout.explanationFits,
      JSON.stringify(layout),
    );
    const linked = layout.link ? await page.request.get(layout.link) : null;
    check(
      "the diagnosis links to its page in the book, which exists",
      Boolean(linked) && linked.status() === 200 && layout.link.endsWith(".html"),
      layout.link,
    );
    check("the compiler's long text is folded", layout.folded, failing.text.slice(0, 200));
    const fullText = await block("handler").evaluate((pre) => pre.querySelector(".run-answer").textContent);
    check(
      "no path of this machine in the answer (home folder, checkout)",
      !fullText.includes(repo) && !/\/(root|home)\/[^\s]*\/\.cargo/.test(fullText),
      fullText.match(/\/(root|home)\/\S+/)?.[0] ?? "",
    );
    await block("handler").screenshot({ path: join(shotDir, "run-in-page-360.png") });

    // Line numbers the reader can use.
    const first = firstLine(FILE, "handler");
    await page.waitForTimeout(300);
    const gutter = await block("handler").evaluate(
      (pre) => pre.querySelector(".ace_gutter-cell")?.textContent?.trim() ?? "",
    );
    check(
      `the handler block is numbered as the file is (from line ${first})`,
      gutter === String(first),
      `first number shown: ${gutter}`,
    );
    const lineLink = block("handler").locator(".run-explanation a.run-line").first();
    const wanted = Number(await lineLink.getAttribute("data-line"));
    await lineLink.click();
    const row = await block("handler").evaluate(
      (pre) => window.ace.edit(pre.querySelector("code")).getCursorPosition().row,
    );
    check(
      `a line named in the answer is a link that puts the cursor there (line ${wanted})`,
      row === wanted - first,
      `cursor on row ${row}, wanted ${wanted - first}`,
    );

    // Several blocks, one program.
    await page.setViewportSize({ width: 1280, height: 900 });
    const state = region(FILE, "state");
    const scoped = region("solutions/oauth-callback--scoped.rs", "handler");
    const start = scoped.indexOf("let verifier = {");
    const end = scoped.indexOf("};", start) + 2;
    const handler = `${scoped.slice(0, start)}let verifier = app.take_verifier(&callback.state);${scoped.slice(end)}`;
    await setEditor(
      "state",
      `${state}\nimpl AppState {\n    fn take_verifier(&self, state: &str) -> Option<String> {\n        self.verifiers.lock().unwrap().remove(state)\n    }\n}\n`,
    );
    await setEditor("handler", handler);
    const together = await run("handler");
    check(
      `a method added in the state block and called in the handler block: one program (${together.seconds} s)`,
      together.ending === "check-passed",
      `${together.ending}: ${together.text.slice(0, 300)}`,
    );
    await setEditor("state", `use tokio::sync::Mutex;\n\n${state}`);
    await setEditor("handler", region("solutions/oauth-callback--tokio-mutex.rs", "handler"));
    const tokio = await run("handler");
    check(
      `the tokio-mutex fix, its import typed in the state block, compiles and passes (${tokio.seconds} s)`,
      tokio.ending === "check-passed",
      `${tokio.ending}: ${tokio.text.slice(0, 300)}`,
    );
    // A line the answer names outside the blocks says which part of the file it is in.
    await setEditor("state", state.replace("verifiers:", "pending:"));
    const renamed = await run("handler");
    const outside = await block("handler").evaluate(
      (pre) => [...pre.querySelectorAll(".run-outside")].map((note) => note.textContent).join(" "),
    );
    check(
      "a line of the answer outside the blocks says which part of the file it is in",
      renamed.ending === "does-not-compile" && outside.includes("the checker's part of the file"),
      outside || renamed.text.slice(0, 300),
    );
    await setEditor("state", state);
    await setEditor("handler", region(FILE, "handler"));
    const shipped = await run("handler");
    const wide = await block("handler").evaluate((pre) => {
      const explanation = pre.querySelector(".run-explanation");
      return explanation ? { fits: explanation.scrollWidth <= explanation.clientWidth + 1, width: explanation.clientWidth } : null;
    });
    check(
      `the blocks as shipped fail again, the diagnosis wrapped at the book's width (${wide?.width} px)`,
      shipped.ending === "does-not-compile" && wide?.fits === true,
      `${shipped.ending} ${JSON.stringify(wide)}`,
    );

    // Limits: a child that keeps the output open; a page that hangs up.
    const secret = await page.evaluate(() => document.querySelector('meta[name="cannot-be-sent-run"]').content);
    const post = (code, abortAfter) =>
      page.evaluate(
        async ({ code, secret, abortAfter }) => {
          const stop = new AbortController();
          if (abortAfter) setTimeout(() => stop.abort(), abortAfter);
          const started = Date.now();
          try {
            const response = await fetch("/__run", {
              method: "POST",
              headers: { "content-type": "application/json", "x-run-secret": secret },
              body: JSON.stringify({ code }),
              signal: stop.signal,
            });
            const text = await response.text();
            return { status: response.status, text, seconds: (Date.now() - started) / 1000 };
          } catch (error) {
            return { status: 0, text: String(error), seconds: (Date.now() - started) / 1000 };
          }
        },
        { code, secret, abortAfter },
      );
    const keepsOpen = await post(
      'fn main() {\n    std::process::Command::new("sleep").arg("25").spawn().expect("sleep starts");\n    println!("started");\n}\n',
    );
    check(
      `a program whose child keeps its output open answers at once (${keepsOpen.seconds} s)`,
      keepsOpen.status === 200 && keepsOpen.text.includes('"ending":"ran"') && keepsOpen.seconds < 20,
      keepsOpen.text.slice(0, 300),
    );
    const hungUp = await post("fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(9));\n}\n", 1500);
    const after = Date.now();
    let next;
    do {
      next = await post("fn main() {}\n");
    } while (next.status === 503 && Date.now() - after < 5000);
    check(
      `a page that hangs up frees the runner (next Run after ${((Date.now() - after) / 1000).toFixed(1)} s)`,
      hungUp.status === 0 && next.status === 200 && Date.now() - after < 5000,
      `${hungUp.status} then ${next.status}`,
    );
    // A Run of one block whose error is in another block of the file links into that block.
    const uploads = "exercises/uploads-boxed-future.rs";
    await page.goto(served.base + "culprits/boxed-futures.html", { waitUntil: "load" });
    const uploadsBlock = (anchor) =>
      page.locator("pre.playground", { has: page.locator(`code[class*="run-from:${uploads}#${anchor}"]`) }).first();
    const library = uploadsBlock("library");
    await library.evaluate((pre) => delete pre.dataset.run);
    await library.evaluate((pre) => pre.querySelector(".play-button").click());
    await page.waitForFunction((pre) => pre.dataset.run === "done", await library.elementHandle(), {
      timeout: 180_000,
    });
    const appFirst = firstLine(uploads, "app");
    const appLast = readFileSync(join(repo, uploads), "utf8").split("\n").indexOf("// ANCHOR_END: app");
    const intoApp = await library.evaluate(
      (pre, [first, last]) =>
        [...pre.querySelectorAll(".run-answer a.run-line")]
          .map((link) => Number(link.dataset.line))
          .find((line) => line >= first && line <= last) ?? 0,
      [appFirst, appLast],
    );
    if (intoApp) {
      await library.locator(`.run-answer a.run-line[data-line="${intoApp}"]`).first().click();
    }
    const appCursor = await uploadsBlock("app").evaluate((pre) => {
      const editor = window.ace.edit(pre.querySelector("code"));
      return { row: editor.getCursorPosition().row, focused: editor.isFocused() };
    });
    check(
      `a line of the library block's answer in the app block leads to the app block (line ${intoApp})`,
      intoApp > 0 && appCursor.focused && appCursor.row === intoApp - appFirst,
      `${JSON.stringify(appCursor)}; app is lines ${appFirst}-${appLast}`,
    );
    check("the Run pages ran without script errors", problems.length === 0, problems.join("; "));
  } finally {
    await page.close();
  }

  // Exact requests, sent byte for byte.
  const host = `127.0.0.1:${served.port}`;
  const secret = (await raw(served.port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).match(
    /content="([0-9a-f]{64})"/,
  )?.[1];
  const body = JSON.stringify({ code: "fn main() {}" });
  const post = (headers, target = "/__run") =>
    raw(
      served.port,
      `POST ${target} HTTP/1.1\r\n${headers.join("\r\n")}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
  const good = [`Host: ${host}`, `Origin: http://${host}`, `X-Run-Secret: ${secret}`];
  const before = served.builds;
  for (const [name, headers, target, wanted] of [
    ["a content type that only starts like JSON", [...good, "Content-Type: application/jsonfoo"], "/__run", 415],
    ["two Host headers", [...good, `Host: evil.example`, "Content-Type: application/json"], "/__run", 400],
    ["a whole URL as its target", [...good, "Content-Type: application/json"], `http://${host}/__run`, 400],
  ]) {
    const answer = await post(headers, target);
    const status = Number(answer.split(" ")[1]);
    check(`a Run request with ${name} is refused (${wanted})`, status === wanted, answer.slice(0, 120));
  }
  check("no inexact request started a build", served.builds === before, `${served.builds - before} builds`);
}

// Sends `request` as it is on a new connection; resolves with the whole answer.
function raw(port, request) {
  return new Promise((resolve, reject) => {
    // Written, not ended: a request whose sender closes its side is one that hung up.
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
    socket.setTimeout(30_000, () => socket.destroy(new Error("no answer within 30 s")));
  });
}
