// Blocks that show an exercise or a solution need the material's crates (tokio, axum, the
// checker), so no public playground can run them. Unless this page was served by
// `cargo xtask book` (which gives them a Run button that compiles on the reader's machine),
// each such block says how to run it.
(() => {
  "use strict";
  if (document.querySelector('meta[name="cannot-be-sent-run"]')) return;
  for (const code of document.querySelectorAll("pre code.runs-locally")) {
    const pre = code.closest("pre.playground") ?? code.parentElement;
    // A page built for the local server but opened some other way has Run buttons that
    // could only fail.
    pre.querySelector(".play-button")?.remove();
    const note = document.createElement("p");
    note.className = "runs-locally-note";
    note.innerHTML =
      "To edit and run this code, serve the book from your clone of the repository: " +
      "<code>cargo xtask book</code>.";
    (pre.parentElement?.tagName === "PRE" ? pre.parentElement : pre).after(note);
  }
})();
