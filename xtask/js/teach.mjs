// Checks of the built book that are about how it teaches, run by browser.mjs:
//
// * attempt first: every solution block is collapsed when a page loads, and there are as
//   many collapsed solution blocks as the page's markdown shows solutions;
// * a phone: at 360 px, the part "When the culprit is not a lock", the choosing page and
//   the at-a-glance table are screenshotted into target/browser-screenshots/phone-*.png,
//   nothing is cut off without a sign that it scrolls, and the flowchart opens full size.

import { readFile } from "node:fs/promises";
import { join } from "node:path";

/// How many blocks of `markdown` show a file of solutions/ outside any callout: the ones the
/// preprocessor must have collapsed.
function topLevelSolutionBlocks(markdown) {
  const lines = markdown.split("\n");
  let open = 0;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const ticks = /^`*/.exec(line)[0].length;
    if (open === 0 && ticks >= 3) {
      open = ticks;
      const info = line.slice(ticks);
      if (info.startsWith("rust") && /\{\{#include [./]*solutions\//.test(lines[i + 1] ?? "")) count++;
    } else if (open > 0 && ticks >= open && line.length === ticks) {
      open = 0;
    }
  }
  return count;
}

/// The solution blocks of the page just loaded: run in the page (by `page.evaluate`) during
/// the one pass over every page, before anything is clicked.
export function solutionsOnLoad() {
  const codes = [...document.querySelectorAll("main code.solution")];
  const shown = codes.filter((code) => code.checkVisibility());
  return {
    total: codes.length,
    shown: shown.map((code) => code.textContent.trim().split("\n")[0].slice(0, 60)),
    openBoxes: document.querySelectorAll("main details.solution-box[open]").length,
  };
}

/// `onLoad`: each page's `solutionsOnLoad()`, as it was when the page loaded.
export async function attemptFirst({ browser, base, pages, check, shotDir, bookDir, onLoad }) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    const visible = [];
    const miscounted = [];
    let hidden = 0;
    for (const rel of pages) {
      const source = join(bookDir, "..", "src", rel.replace(/\.html$/, ".md"));
      // The print page has no markdown of its own: it is every page at once.
      const markdown = await readFile(source, "utf8").catch(() => null);
      const expected = markdown === null ? null : topLevelSolutionBlocks(markdown);
      const found = onLoad.get(rel);
      hidden += found.total - found.shown.length;
      for (const text of found.shown) visible.push(`${rel}: ${text}`);
      if (found.openBoxes) visible.push(`${rel}: ${found.openBoxes} solution boxes open`);
      if (expected !== null && found.total !== expected) miscounted.push(`${rel}: ${found.total} collapsed, ${expected} in its markdown`);
    }
    check(
      `no solution block is visible when a page loads (${hidden} behind "Show the solution")`,
      visible.length === 0 && hidden > 0,
      visible.slice(0, 10).join("; "),
    );
    check(
      "every solution the markdown shows is collapsed by the preprocessor",
      miscounted.length === 0,
      miscounted.slice(0, 10).join("; "),
    );

    // A collapsed solution opens on a click, after the exercise's own code.
    await page.goto(base + "culprits/not-sync-refs.html", { waitUntil: "load" });
    const box = page.locator("details.solution-box").first();
    const order = await box.evaluate((details) => {
      const exercise = [...document.querySelectorAll("main pre code.runs-locally:not(.solution)")][0];
      return exercise ? Boolean(exercise.compareDocumentPosition(details) & Node.DOCUMENT_POSITION_FOLLOWING) : false;
    });
    await box.locator("summary").click();
    const opened = await box.evaluate((details) => details.open && details.querySelector("code.solution").checkVisibility());
    check("a solution comes after the exercise's code, and opens on a click", order && opened);
    await box.screenshot({ path: join(shotDir, "solution-opened.png") });
  } finally {
    await page.close();
  }
}

/// The pages looked at on a phone.
function phonePages(pages) {
  return [
    ...pages.filter((rel) => rel.startsWith("culprits/")),
    "fixes/choosing.html",
    "appendix/at-a-glance.html",
  ].filter((rel) => pages.includes(rel));
}

/// Everything on the page that is cut off without a sign that it scrolls.
function clipped() {
  const width = window.innerWidth;
  const problems = [];
  const scrollsWithCue = (element) => {
    for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      const scrolls = ["auto", "scroll"].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
      if (scrolls) return e.classList.contains("scrolls-x") || e.parentElement?.classList.contains("scrolls-x");
    }
    return false;
  };
  if (document.documentElement.scrollWidth > width + 1)
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  for (const cell of document.querySelectorAll("main td, main th")) {
    if (!cell.checkVisibility()) continue;
    const rect = cell.getBoundingClientRect();
    const fits = rect.right <= width + 1 && cell.scrollWidth <= cell.clientWidth + 1;
    if (!fits && !scrollsWithCue(cell))
      problems.push(`cell "${cell.textContent.trim().slice(0, 40)}" ends at ${Math.round(rect.right)} px`);
  }
  for (const code of document.querySelectorAll("main pre > code")) {
    if (!code.checkVisibility()) continue;
    const rect = code.getBoundingClientRect();
    if (rect.right > width + 1) problems.push(`a code block ends at ${Math.round(rect.right)} px`);
    const overflows = code.scrollWidth > code.clientWidth + 1;
    if (overflows && !code.parentElement.classList.contains("scrolls-x"))
      problems.push(`code "${code.textContent.trim().slice(0, 40)}" scrolls with no cue`);
  }
  return problems;
}

export async function phone({ browser, base, pages, check, shotDir }) {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 }, hasTouch: true });
  try {
    const problems = [];
    const looked = phonePages(pages);
    for (const rel of looked) {
      await page.goto(base + rel, { waitUntil: "load" });
      const name = `phone-${rel.replace(/\//g, "-").replace(".html", "")}`;
      await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: true });
      for (const problem of await page.evaluate(clipped)) problems.push(`${rel}: ${problem}`);
      // What the callouts hold must fit too, once opened.
      await page.evaluate(() => {
        for (const details of document.querySelectorAll("main details")) details.open = true;
      });
      await page.waitForTimeout(50);
      for (const problem of await page.evaluate(clipped)) problems.push(`${rel} (callouts open): ${problem}`);
    }
    check(
      `at 360 px nothing is cut off without a scroll cue (${looked.length} pages)`,
      looked.length >= 9 && problems.length === 0,
      problems.slice(0, 15).join("; "),
    );

    // The flowchart opens full size on a tap.
    await page.goto(base + "fixes/choosing.html", { waitUntil: "load" });
    const diagram = page.locator("main img.opens-full-size").first();
    if ((await diagram.count()) === 0) {
      check("at 360 px the flowchart opens full size on a tap", false, "no diagram on fixes/choosing.html opens full size");
      return;
    }
    const small = await diagram.evaluate((img) => img.getBoundingClientRect().width);
    await diagram.tap();
    const opened = await page.evaluate(() => {
      const dialog = document.querySelector("dialog.full-size[open]");
      const img = dialog?.querySelector("img");
      return img ? { width: img.getBoundingClientRect().width, natural: img.naturalWidth } : null;
    });
    await page.screenshot({ path: join(shotDir, "phone-choosing-flowchart-open.png") });
    check(
      "at 360 px the flowchart opens full size on a tap",
      opened !== null && small < 360 && opened.width >= opened.natural - 1 && opened.width > 700,
      JSON.stringify({ small, opened }),
    );
  } finally {
    await page.close();
  }
}
