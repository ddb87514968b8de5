// Loads the built book in headless Chromium (Debian's, not a downloaded one) and checks what
// a reader would notice: pages that fail to load or log errors, unstyled callouts, a search
// that finds nothing, "Does it compile?" answers that do not open, a broken print page,
// internal links or anchors that lead nowhere, and Run buttons on code that cannot run.
//
// With the book's server and the book as it serves it, it then runs code in the page: an
// exercise's handler edited and run (its pinned error and the diagnosis), fixed and run
// (it compiles and its check passes), an endless loop (a verdict within the limit), Reset;
// and tries, from outside the page, every way in that the server must refuse.
//
// Usage: node browser.mjs BOOK_DIR SCREENSHOT_DIR [CHROMIUM [SERVED_BOOK_DIR BOOK_SERVER REPO]]
// Prints one line per problem and ends with "N passed, N failed".

import { createServer, request as httpRequest } from "node:http";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile, readdir, mkdir, stat } from "node:fs/promises";
import { extname, join, normalize, relative, sep } from "node:path";
import { chromium } from "playwright-core";
import { runFinished } from "./run-finished.mjs";
import { attemptFirst, phone, solutionsOnLoad } from "./teach.mjs";

const [bookDir, shotDir, executablePath = "/usr/bin/chromium", servedDir, bookServer, repo] =
  process.argv.slice(2);
if (!bookDir || !shotDir) {
  console.error(
    "usage: node browser.mjs BOOK_DIR SCREENSHOT_DIR [CHROMIUM [SERVED_BOOK_DIR BOOK_SERVER REPO]]",
  );
  process.exit(2);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".ico": "image/x-icon",
  ".txt": "text/plain",
};

// A static server for the built book, on an ephemeral loopback port.
function serve(root) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(normalize(root))) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function htmlPages(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await htmlPages(path)));
    else if (entry.name.endsWith(".html")) found.push(path);
  }
  return found.sort();
}

const results = [];
function check(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

const server = await serve(bookDir);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
await mkdir(shotDir, { recursive: true });

try {
  // A tab whose problems (console errors, script errors, failed or refused requests) are
  // collected in `tab.problems`, which the caller empties before each page.
  async function watchedTab() {
    const tab = { page: await browser.newPage({ viewport: { width: 1280, height: 900 } }), problems: [] };
    const page = tab.page;
    page.on("console", (message) => {
      if (message.type() === "error") tab.problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => tab.problems.push(`script error: ${error.message}`));
    page.on("requestfailed", (request) => {
      // A request cut short by the next navigation (a favicon, say) is not a failure.
      const why = request.failure()?.errorText ?? "";
      if (request.url().startsWith(base) && why !== "net::ERR_ABORTED")
        tab.problems.push(`failed to load ${request.url()} (${why})`);
    });
    // Pages with runnable code ask the Rust Playground which crates it has. This machine is
    // offline, so answer for the Playground with an empty list, as a reader's browser would
    // get a real one.
    await page.route("https://play.rust-lang.org/**", (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: '{"crates":[]}' }),
    );
    page.on("response", (response) => {
      if (response.url().startsWith(base) && response.status() >= 400)
        tab.problems.push(`${response.status()} for ${response.url()}`);
    });
    return tab;
  }
  const first = await watchedTab();
  const page = first.page;

  // One pass over every page: it loads cleanly; its links and anchors (for the link check),
  // its code blocks with a Run button (for the Run check) and its solutions as loaded (for
  // teach.mjs) are recorded, each page loaded once.
  const pages = (await htmlPages(bookDir))
    .map((file) => relative(bookDir, file).split(sep).join("/"))
    .filter((rel) => !["404.html", "toc.html"].includes(rel));
  const ids = new Map();
  const links = [];
  const wrongRun = [];
  const solutions = new Map();
  let clean = 0;
  // Two tabs share the pages: a page mostly waits for its files, so two load in the time
  // of one and a half.
  let next = 0;
  async function passOver(tab) {
    const page = tab.page;
    while (next < pages.length) {
      const rel = pages[next++];
      tab.problems = [];
      await page.goto(base + rel, { waitUntil: "load" });
      const found = await page.evaluate(() => ({
        ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
        hrefs: [...document.querySelectorAll("main a[href]")].map((a) => a.getAttribute("href")),
        // Run buttons only on code that can run on the Playground: never on code included
        // from the material (marked ignore) or on code that must fail to compile.
        wrongRun: [...document.querySelectorAll("pre.playground")]
          .filter((pre) => {
            const code = pre.querySelector("code");
            const classes = code ? code.classList : [];
            return ["ignore", "compile_fail", "noplayground"].some((c) => classes.contains(c));
          })
          .map((pre) => pre.textContent.slice(0, 60)),
      }));
      ids.set(rel, new Set(found.ids));
      for (const href of found.hrefs) links.push({ from: rel, href });
      for (const text of found.wrongRun) wrongRun.push(`${rel}: ${text}`);
      solutions.set(rel, await page.evaluate(solutionsOnLoad));
      if (tab.problems.length) check(`page ${rel} loads cleanly`, false, tab.problems.join("; "));
      else clean++;
    }
  }
  await Promise.all([passOver(first), passOver(await watchedTab())]);
  check(`all ${pages.length} pages load without errors`, clean === pages.length, `${pages.length - clean} with errors`);

  // Internal links lead to a page that exists, and to an anchor on it that exists.
  const broken = [];
  for (const { from, href } of links) {
    if (/^(https?:|mailto:|javascript:)/.test(href)) continue;
    const [path, anchor] = href.split("#");
    const target = path ? normalize(join(from, "..", path)).split(sep).join("/") : from;
    if (!ids.has(target)) {
      if (!pages.includes(target)) broken.push(`${from} → ${href} (no such page)`);
      continue;
    }
    if (anchor && !ids.get(target).has(decodeURIComponent(anchor)))
      broken.push(`${from} → ${href} (no such anchor)`);
  }
  check(`all ${links.length} internal links and anchors resolve`, broken.length === 0, broken.slice(0, 20).join("; "));

  // Callouts are styled by mdbook-admonish, not left as bare blocks.
  await page.goto(base + "story/oauth-callback.html", { waitUntil: "load" });
  const callout = await page.evaluate(() => {
    const box = document.querySelector(".admonition");
    if (!box) return null;
    const style = getComputedStyle(box);
    return { border: style.borderLeftWidth, shadow: style.boxShadow };
  });
  check(
    "admonitions are styled",
    callout !== null && callout.border !== "0px" && callout.shadow !== "none",
    JSON.stringify(callout),
  );
  await page.screenshot({ path: join(shotDir, "story-oauth-callback.png"), fullPage: true });

  // A "Does it compile?" answer opens on click.
  const answer = page.locator("details.admonition").first();
  const closedBefore = !(await answer.evaluate((d) => d.open));
  await answer.locator("summary").click();
  const openAfter = await answer.evaluate((d) => d.open);
  check("a collapsible answer opens on click", closedBefore && openAfter);
  await answer.screenshot({ path: join(shotDir, "answer-opened.png") });

  // Search finds MutexGuard.
  await page.keyboard.press("s");
  await page.locator("#searchbar").pressSequentially("MutexGuard", { delay: 20 });
  let hits = 0;
  try {
    await page.waitForSelector("#searchresults li", { timeout: 10_000 });
    hits = await page.locator("#searchresults li").count();
  } catch {
    hits = 0;
  }
  check("search finds MutexGuard", hits > 0, `${hits} results`);
  await page.screenshot({ path: join(shotDir, "search-mutexguard.png") });

  check("Run buttons appear only on runnable code", wrongRun.length === 0, wrongRun.slice(0, 10).join("; "));

  // The published book offers no Run on code that needs the material's crates, and says how
  // to run it locally instead.
  await page.goto(base + "story/oauth-callback.html", { waitUntil: "load" });
  const published = await page.evaluate(() => {
    const blocks = [...document.querySelectorAll("pre code.runs-locally")];
    return {
      blocks: blocks.length,
      notes: document.querySelectorAll(".runs-locally-note").length,
      runnable: blocks.filter((code) => code.closest("pre.playground") || code.closest("pre").querySelector(".play-button")).length,
    };
  });
  check(
    "published blocks that need crates say how to run them locally, with no Run button",
    published.blocks > 0 && published.notes === published.blocks && published.runnable === 0,
    JSON.stringify(published),
  );

  // The print page holds the whole book and renders.
  first.problems = [];
  await page.goto(base + "print.html", { waitUntil: "load" });
  const chapters = await page.locator("main h1").count();
  check(
    "the print page renders every chapter",
    first.problems.length === 0 && chapters >= pages.length - 2,
    `${chapters} chapter headings; ${first.problems.join("; ")}`,
  );

  // Screenshots of a few pages for people to look at.
  for (const rel of ["index.html", "story/proxy-act-2.html", "fixes/choosing.html", "appendix/kinds-and-shapes.html"]) {
    if (!pages.includes(rel)) continue;
    await page.goto(base + rel, { waitUntil: "load" });
    await page.screenshot({ path: join(shotDir, rel.replace(/\//g, "-").replace(".html", ".png")), fullPage: true });
  }

  // Solutions collapsed on load; the book read at 360 px (xtask/js/teach.mjs).
  await attemptFirst({ browser, base, pages, check, shotDir, bookDir, onLoad: solutions });
  await phone({ browser, base, pages, check, shotDir });

  if (servedDir && bookServer && repo) await runInPage();
} finally {
  await browser.close();
  server.close();
}

// Run in the page: the book as `cargo xtask book` serves it, through its own server.
async function runInPage() {
  const served = await startBookServer();
  try {
    await editAndRun(served);
    await runFinished({ browser, served, shotDir, repo, check });
    await refusals(served);
    await anotherPortCannotBuild(served);
  } finally {
    served.child.kill();
  }
}

// Starts the book's server on a free port; resolves once it says where it listens.
function startBookServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(bookServer, ["--port", "0", "--book", servedDir], {
      cwd: repo,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const served = { child, builds: 0, base: null, port: 0 };
    let pending = "";
    child.stdout.on("data", (chunk) => {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const listening = line.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
        if (listening && !served.base) {
          served.port = Number(listening[1]);
          served.base = `http://127.0.0.1:${served.port}/`;
          resolve(served);
        }
        // One line per build that the server started.
        if (/^run \d+:/.test(line)) served.builds++;
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`the book's server ended (${code})`)));
    setTimeout(() => reject(new Error("the book's server did not start within 20 s")), 20_000);
  });
}

// The text between `// ANCHOR: name` and `// ANCHOR_END: name` of a file of the repository.
function region(file, name) {
  const text = readFileSync(join(repo, file), "utf8");
  const found = text.match(new RegExp(`// ANCHOR: ${name}\\n([\\s\\S]*?)// ANCHOR_END: ${name}\\n`));
  if (!found) throw new Error(`${file} has no region ${name}`);
  return found[1];
}

async function editAndRun(served) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  const playground = [];
  await page.route("https://play.rust-lang.org/**", (route) => {
    playground.push(route.request().url());
    route.abort();
  });
  await page.goto(served.base + "story/oauth-callback.html", { waitUntil: "load" });
  const block = page.locator("pre.playground", {
    has: page.locator('code[class*="run-from:exercises/oauth-callback.rs#handler"]'),
  });
  const editorText = () =>
    block.evaluate((pre) => window.ace.edit(pre.querySelector("code")).getValue());
  const setEditor = (text) =>
    block.evaluate((pre, text) => {
      const editor = window.ace.edit(pre.querySelector("code"));
      editor.setValue(text, 1);
    }, text);
  const run = async () => {
    const started = Date.now();
    await block.evaluate((pre) => delete pre.dataset.run);
    await block.hover();
    await block.locator(".play-button").click();
    await page.waitForFunction((pre) => pre.dataset.run === "done", await block.elementHandle(), {
      timeout: 120_000,
    });
    return {
      seconds: (Date.now() - started) / 1000,
      ending: await block.getAttribute("data-ending"),
      text: await block.locator(".result").innerText(),
    };
  };
  const shipped = region("exercises/oauth-callback.rs", "handler");
  const fixed = region("solutions/oauth-callback--scoped.rs", "handler");
  const headline = readFileSync(join(repo, "exercises/oauth-callback.stderr"), "utf8").split("\n")[0];

  check("the served exercise block is an editor with its region", (await editorText()).trimEnd() === shipped.trimEnd());
  // Edit it in the page: type at its end, as a reader would.
  await block.locator(".ace_content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\n// Tried in the page.");
  const edited = await editorText();
  check("typing edits the block", edited.trimEnd().endsWith("// Tried in the page.") && edited.startsWith(shipped.trimEnd()));

  const failing = await run();
  check(
    `Run shows the pinned error's headline and the diagnosis (${failing.seconds} s)`,
    failing.ending === "does-not-compile" &&
      failing.text.includes(headline) &&
      failing.text.includes("Why: `verifiers`") &&
      failing.text.includes("std-mutex-guard, held-across-await"),
    `${failing.ending}: ${failing.text.slice(0, 300)}`,
  );
  await block.screenshot({ path: join(shotDir, "run-in-page-error.png") });

  await setEditor(fixed);
  const passing = await run();
  check(
    `the fix, run in the page, compiles and its check passes (${passing.seconds} s)`,
    passing.ending === "check-passed" && passing.text.includes("behaviour check passes"),
    `${passing.ending}: ${passing.text.slice(0, 300)}`,
  );
  await block.screenshot({ path: join(shotDir, "run-in-page-passed.png") });

  const lock = "        let mut verifiers = app.verifiers.lock().unwrap();\n";
  await setEditor(fixed.replace(lock, `        loop {\n            std::hint::spin_loop();\n        }\n${lock}`));
  const endless = await run();
  check(
    `an endless loop gets its verdict within the limit (${endless.seconds} s)`,
    endless.ending === "check-failed" && endless.text.includes("blocked") && endless.seconds < 30,
    `${endless.ending} after ${endless.seconds} s: ${endless.text.slice(-300)}`,
  );

  await block.hover();
  await block.locator(".reset-button").click();
  check(
    "Reset restores the block and clears its answer",
    (await editorText()).trimEnd() === shipped.trimEnd() && (await block.locator(".result").count()) === 0,
  );
  // A snippet typed in the page (std only) runs on this machine too, not on the Playground.
  await page.goto(served.base + "understanding/send-sync.html", { waitUntil: "load" });
  const snippet = page.locator("pre.playground", { hasNot: page.locator("code.runs-locally") }).first();
  await snippet.hover();
  await snippet.locator(".play-button").click();
  await page.waitForFunction((pre) => pre.dataset.run === "done", await snippet.elementHandle(), {
    timeout: 120_000,
  });
  const ran = await snippet.locator(".result").innerText();
  check(
    "a std-only snippet runs on this machine",
    (await snippet.getAttribute("data-ending")) === "ran" && ran.includes("runs to its end"),
    ran.slice(0, 300),
  );
  check("the served page sends nothing to the public playground", playground.length === 0, playground.join(", "));
  check("the served page runs without script errors", problems.length === 0, problems.join("; "));
  await page.close();
}

// A request to the book's server from Node, with any headers (Host included).
function send(port, { method = "POST", path = "/__run", headers = {}, body = "" }) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: "127.0.0.1", port, method, path, headers: { "content-length": Buffer.byteLength(body), ...headers } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode, text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function refusals(served) {
  const host = `127.0.0.1:${served.port}`;
  const origin = `http://${host}`;
  const page = await send(served.port, { method: "GET", path: "/story/oauth-callback.html", headers: { host } });
  const secret = page.text.match(/<meta name="cannot-be-sent-run" content="([0-9a-f]+)">/)?.[1];
  check("the served page carries the server's secret", page.status === 200 && Boolean(secret));
  const body = JSON.stringify({ code: region("exercises/oauth-callback.rs", "handler"), origin: "exercises/oauth-callback.rs#handler" });
  const json = { "content-type": "application/json" };
  const before = served.builds;
  const tries = [
    ["without the secret", { headers: { host, origin, ...json }, body }, 403],
    ["with a wrong secret", { headers: { host, origin, ...json, "x-run-secret": "0".repeat(64) }, body }, 403],
    ["from a foreign Origin", { headers: { host, origin: "http://evil.example", ...json, "x-run-secret": secret }, body }, 403],
    ["from another local port", { headers: { host, origin: "http://127.0.0.1:1", ...json, "x-run-secret": secret }, body }, 403],
    ["with no Origin", { headers: { host, ...json, "x-run-secret": secret }, body }, 403],
    ["for a foreign Host (DNS rebinding)", { headers: { host: `evil.example:${served.port}`, origin: `http://evil.example:${served.port}`, ...json, "x-run-secret": secret }, body }, 403],
    ["that is too large", { headers: { host, origin, ...json, "x-run-secret": secret }, body: JSON.stringify({ code: "x".repeat(100_000) }) }, 413],
  ];
  for (const [name, options, wanted] of tries) {
    const answer = await send(served.port, options);
    check(`a Run request ${name} is refused (${wanted})`, answer.status === wanted, `${answer.status}: ${answer.text}`);
  }
  const preflight = await send(served.port, {
    method: "OPTIONS",
    headers: { host, origin: "http://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "x-run-secret" },
  });
  check("a CORS preflight gets no permission", preflight.status >= 400, String(preflight.status));
  const rebound = await send(served.port, { method: "GET", path: "/story/oauth-callback.html", headers: { host: `evil.example:${served.port}` } });
  check("a page asked for under a foreign Host is refused, secret and all", rebound.status === 403 && !rebound.text.includes(secret));
  check("no refused request started a build", served.builds === before, `${served.builds - before} builds`);

  // Two Runs at once: one builds, the other is told the server is busy.
  const good = { headers: { host, origin, ...json, "x-run-secret": secret }, body };
  const both = await Promise.all([send(served.port, good), send(served.port, good)]);
  const statuses = both.map((answer) => answer.status).sort();
  check("a second Run while one builds is told 'busy' (503)", statuses[0] === 200 && statuses[1] === 503, statuses.join(", "));
}

// A page served from another local port, which knows even the secret, cannot make the book's
// server build: the browser sends it nowhere, or the server refuses it.
async function anotherPortCannotBuild(served) {
  const secret = (
    await send(served.port, { method: "GET", path: "/index.html", headers: { host: `127.0.0.1:${served.port}` } })
  ).text.match(/content="([0-9a-f]{64})"/)[1];
  const target = `http://127.0.0.1:${served.port}/__run`;
  const attack = `<!doctype html><html><body>
<form id="f" method="POST" action="${target}" enctype="text/plain" target="sink">
<input name='{"code":"fn main(){}","x":"' value='"}'></form><iframe name="sink"></iframe>
<script>
window.outcomes = [];
const body = JSON.stringify({ code: "fn main() {}" });
const attempts = [
  fetch("${target}", { method: "POST", headers: { "content-type": "application/json", "x-run-secret": "${secret}" }, body }),
  fetch("${target}", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body }),
];
Promise.allSettled(attempts).then((all) => { window.outcomes = all.map((a) => a.status); window.done = true; });
document.getElementById("f").submit();
</script></body></html>`;
  const evil = createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(attack);
  });
  await new Promise((resolve) => evil.listen(0, "127.0.0.1", resolve));
  const before = served.builds;
  const page = await browser.newPage();
  page.on("console", () => {});
  try {
    await page.goto(`http://127.0.0.1:${evil.address().port}/`, { waitUntil: "load" });
    await page.waitForFunction(() => window.done === true, null, { timeout: 20_000 });
    await page.waitForTimeout(1500);
    const outcomes = await page.evaluate(() => window.outcomes);
    check(
      "a page served from another local port cannot trigger a build",
      served.builds === before && outcomes[0] === "rejected",
      `${served.builds - before} builds; fetches: ${outcomes.join(", ")}`,
    );
  } finally {
    await page.close();
    evil.close();
  }
}

const failed = results.filter((r) => !r.ok).length;
console.log(`\nbrowser: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
