// Progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  input.select();
  const done = () => {
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value).then(done, () => document.execCommand("copy") && done());
  } else if (document.execCommand("copy")) {
    done();
  }
});

// <time datetime="…" data-local-time>: the server's time in a named zone, shown in the
// browser's own time zone instead.
const localTimes = (root) => {
  for (const element of root.querySelectorAll("time[data-local-time]")) {
    const when = new Date(element.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    element.textContent = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    element.title = when.toString();
  }
};
localTimes(document);
document.addEventListener("htmx:load", () => localTimes(document));

// [data-print]: print the page (the browser's own Print works as well).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// On a phone every table shows one card per row (app.css): each data cell gets its
// column's header as data-label, so the card says what each value is. Header rows with
// colspan/rowspan (the use-case portfolio) give "Cost reduction % Target". Labels a
// template sets itself are kept.
const columnLabels = (table) => {
  const labels = [];
  const taken = [];
  if (!table.tHead) return labels;
  Array.from(table.tHead.rows).forEach((row, r) => {
    let column = 0;
    for (const cell of row.cells) {
      while (taken[r] && taken[r][column]) column += 1;
      const text = cell.textContent.trim().replace(/\s+/g, " ");
      for (let dr = 0; dr < cell.rowSpan; dr += 1) {
        for (let dc = 0; dc < cell.colSpan; dc += 1) {
          (taken[r + dr] = taken[r + dr] || [])[column + dc] = true;
          if (dr === 0 && text) labels[column + dc] = labels[column + dc] ? `${labels[column + dc]} ${text}` : text;
        }
      }
      column += cell.colSpan;
    }
  });
  return labels;
};
const labelTableCells = (root) => {
  for (const table of root.querySelectorAll("table.table")) {
    const labels = columnLabels(table);
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && labels[column]) {
            cell.dataset.label = labels[column];
          }
          column += cell.colSpan;
        }
      }
    }
  }
};
labelTableCells(document);

// A table wider than its place is shown as cards (.stacked, app.css): measured on load,
// when the width changes and when a <details> around a table opens.
const fitTables = (root) => {
  for (const table of root.querySelectorAll("table.table:not(.stack)")) {
    table.classList.remove("stacked");
    const parent = table.parentElement;
    const style = getComputedStyle(parent);
    const room = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (room > 0 && table.offsetWidth > room + 1) table.classList.add("stacked");
  }
};
fitTables(document);
document.addEventListener("htmx:load", (event) => {
  labelTableCells(event.detail.elt);
  fitTables(event.detail.elt);
});
let fitPending = false;
window.addEventListener("resize", () => {
  if (fitPending) return;
  fitPending = true;
  requestAnimationFrame(() => {
    fitPending = false;
    fitTables(document);
  });
});
document.addEventListener("toggle", (event) => fitTables(event.target), true);
