// Draw every plotly figure whose data the page embeds as JSON (no inline script), on
// load and in content that htmx swaps in later (for example the roadmap timeline).
// A chart may embed a second figure designed for a phone (data-chart-narrow): it is
// drawn while the screen is narrow, and the chart is redrawn when that changes (a
// rotated phone, a resized window). Plotly's mode bar is hidden: the data table beside
// every chart is the way to read exact values.
const NARROW = window.matchMedia("(max-width: 640px)");
const CONFIG = { displayModeBar: false, displaylogo: false, responsive: true };

function drawChart(element) {
  const narrow = NARROW.matches && element.dataset.chartNarrow;
  const source = document.getElementById(narrow ? element.dataset.chartNarrow : element.dataset.chart);
  if (!source) return;
  const figure = JSON.parse(source.textContent);
  element.dataset.drawn = narrow ? "narrow" : "wide";
  window.Plotly.react(element, figure.data, figure.layout, CONFIG);
}

function drawCharts(root) {
  if (!window.Plotly) return;
  root.querySelectorAll("[data-chart]").forEach((element) => {
    if (!element.dataset.drawn) drawChart(element);
  });
}

drawCharts(document);
document.addEventListener("htmx:load", (event) => drawCharts(event.detail.elt));
NARROW.addEventListener("change", () => {
  if (!window.Plotly) return;
  document.querySelectorAll("[data-chart][data-drawn]").forEach(drawChart);
});
