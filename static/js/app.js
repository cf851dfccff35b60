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
