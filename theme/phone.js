// The book on a narrow screen (theme/phone.css): tables learn the names of their columns so
// that they can stack; code blocks that do not fit are marked, so they show that they
// scroll; diagrams open full size on a tap.
(() => {
  "use strict";

  // Every table may stack on a phone: each cell carries the name of its column.
  for (const table of document.querySelectorAll("main table")) {
    const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (names.length < 2) continue;
    table.classList.add("stacks");
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, index) => {
        if (names[index]) cell.dataset.label = names[index];
      });
    }
  }

  // A code block whose lines are wider than its box gets .scrolls-x, and with it a cue.
  // Blocks inside a closed callout have no width yet: they are measured when it opens.
  const markOverflow = () => {
    for (const code of document.querySelectorAll("main pre > code")) {
      const pre = code.parentElement;
      if (code.clientWidth === 0) continue;
      pre.classList.toggle("scrolls-x", code.scrollWidth > code.clientWidth + 1);
    }
  };
  markOverflow();
  window.addEventListener("resize", markOverflow);
  document.addEventListener("toggle", markOverflow, true);
  // mdBook's code blocks are highlighted after load, which can change their width.
  window.addEventListener("load", markOverflow);

  // Diagrams open full size, in a layer that scrolls both ways, on a tap.
  for (const img of document.querySelectorAll('main img[src$=".svg"]')) {
    img.classList.add("opens-full-size");
    img.setAttribute("role", "button");
    img.setAttribute("tabindex", "0");
    img.title = "Open full size";
    const hint = document.createElement("p");
    hint.className = "full-size-hint";
    hint.textContent = "Tap the diagram to open it full size.";
    (img.closest("p") ?? img).after(hint);
    const open = () => {
      const dialog = document.createElement("dialog");
      dialog.className = "full-size";
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.addEventListener("click", () => dialog.close());
      const big = document.createElement("img");
      big.src = img.src;
      big.alt = img.alt;
      dialog.append(close, big);
      dialog.addEventListener("close", () => dialog.remove());
      document.body.append(dialog);
      dialog.showModal();
      // Start at the middle of the diagram, where its flow runs; it scrolls both ways.
      const centre = () => {
        dialog.scrollLeft = (dialog.scrollWidth - dialog.clientWidth) / 2;
      };
      if (big.complete) centre();
      else big.addEventListener("load", centre);
    };
    img.addEventListener("click", open);
    img.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open();
      }
    });
  }
})();
