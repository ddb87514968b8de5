// Loads the built book in headless Chromium (Debian's, not a downloaded one) and checks what
// a reader would notice: pages that fail to load or log errors, unstyled callouts, a search
// that finds nothing, "Does it compile?" answers that do not open, a broken print page,
// internal links or anchors that lead nowhere, and Run buttons on code that cannot run.
//
// Usage: node browser.mjs BOOK_DIR SCREENSHOT_DIR [CHROMIUM]
// Prints one line per problem and ends with "N passed, N failed".

import { createServer } from "node:http";
import { readFile, readdir, mkdir, stat } from "node:fs/promises";
import { extname, join, normalize, relative, sep } from "node:path";
import { chromium } from "playwright-core";

const [bookDir, shotDir, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
if (!bookDir || !shotDir) {
  console.error("usage: node browser.mjs BOOK_DIR SCREENSHOT_DIR [CHROMIUM]");
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
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  let problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A request cut short by the next navigation (a favicon, say) is not a failure.
    const why = request.failure()?.errorText ?? "";
    if (request.url().startsWith(base) && why !== "net::ERR_ABORTED")
      problems.push(`failed to load ${request.url()} (${why})`);
  });
  // Pages with runnable code ask the Rust Playground which crates it has. This machine is
  // offline, so answer for the Playground with an empty list, as a reader's browser would
  // get a real one.
  await page.route("https://play.rust-lang.org/**", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: '{"crates":[]}' }),
  );
  page.on("response", (response) => {
    if (response.url().startsWith(base) && response.status() >= 400)
      problems.push(`${response.status()} for ${response.url()}`);
  });

  // Every page: loads cleanly; record its links and anchors for the link check.
  const pages = (await htmlPages(bookDir))
    .map((file) => relative(bookDir, file).split(sep).join("/"))
    .filter((rel) => !["404.html", "toc.html"].includes(rel));
  const ids = new Map();
  const links = [];
  let clean = 0;
  for (const rel of pages) {
    problems = [];
    await page.goto(base + rel, { waitUntil: "load" });
    const found = await page.evaluate(() => ({
      ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
      hrefs: [...document.querySelectorAll("main a[href]")].map((a) => a.getAttribute("href")),
    }));
    ids.set(rel, new Set(found.ids));
    for (const href of found.hrefs) links.push({ from: rel, href });
    if (problems.length) check(`page ${rel} loads cleanly`, false, problems.join("; "));
    else clean++;
  }
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

  // Run buttons only on code that can run on the Playground: never on code included from
  // the material (marked ignore) or on code that must fail to compile.
  const wrongRun = [];
  for (const rel of pages) {
    await page.goto(base + rel, { waitUntil: "load" });
    const bad = await page.evaluate(() =>
      [...document.querySelectorAll("pre.playground")]
        .filter((pre) => {
          const code = pre.querySelector("code");
          const classes = code ? code.classList : [];
          return ["ignore", "compile_fail", "noplayground"].some((c) => classes.contains(c));
        })
        .map((pre) => pre.textContent.slice(0, 60)),
    );
    for (const text of bad) wrongRun.push(`${rel}: ${text}`);
  }
  check("Run buttons appear only on runnable code", wrongRun.length === 0, wrongRun.slice(0, 10).join("; "));

  // The print page holds the whole book and renders.
  problems = [];
  await page.goto(base + "print.html", { waitUntil: "load" });
  const chapters = await page.locator("main h1").count();
  check(
    "the print page renders every chapter",
    problems.length === 0 && chapters >= pages.length - 2,
    `${chapters} chapter headings; ${problems.join("; ")}`,
  );

  // Screenshots of a few pages for people to look at.
  for (const rel of ["index.html", "story/proxy-act-2.html", "fixes/choosing.html", "appendix/kinds-and-shapes.html"]) {
    if (!pages.includes(rel)) continue;
    await page.goto(base + rel, { waitUntil: "load" });
    await page.screenshot({ path: join(shotDir, rel.replace(/\//g, "-").replace(".html", ".png")), fullPage: true });
  }
} finally {
  await browser.close();
  server.close();
}

const failed = results.filter((r) => !r.ok).length;
console.log(`\nbrowser: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
