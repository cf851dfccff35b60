// Draw every plotly figure whose data the page embeds as JSON (no inline script), on
// load and in content that htmx swaps in later (for example the roadmap timeline).
function drawCharts(root) {
  if (!window.Plotly) return;
  root.querySelectorAll("[data-chart]").forEach((element) => {
    const source = document.getElementById(element.dataset.chart);
    if (!source || element.dataset.drawn) return;
    element.dataset.drawn = "true";
    const figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  });
}

drawCharts(document);
document.addEventListener("htmx:load", (event) => drawCharts(event.detail.elt));
