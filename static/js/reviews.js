// Expert review: live points on the scoring sheet, and charts from json_script data.
(function () {
  "use strict";

  function bandIndex(pct) {
    var spans = [[0, 5], [10, 25], [30, 45], [50, 65], [70, 85], [90, 100]];
    for (var i = 0; i < spans.length; i++) { if (pct >= spans[i][0] && pct <= spans[i][1]) { return i; } }
    return -1;
  }

  function updateRow(row) {
    var input = row.querySelector("input[type=number]");
    var out = row.querySelector(".item-points");
    if (!input || !out) { return; }
    var raw = input.value.trim();
    var pct = Number(raw);
    var valid = raw !== "" && pct >= 0 && pct <= 100 && pct % 5 === 0;
    out.textContent = valid ? (Number(row.dataset.points) * pct / 100).toFixed(2) : "—";
    var idx = valid ? bandIndex(pct) : -1;
    row.querySelectorAll(".band-text").forEach(function (el, i) { el.classList.toggle("band-current", i === idx); });
    var cat = row.closest("fieldset");
    if (cat) {
      var sum = 0;
      cat.querySelectorAll(".item-points").forEach(function (o) { var v = Number(o.textContent); if (!isNaN(v)) { sum += v; } });
      var target = cat.querySelector(".category-points");
      if (target) { target.textContent = sum.toFixed(2); }
    }
  }

  document.addEventListener("input", function (event) {
    var row = event.target.closest(".item-row");
    if (row) { updateRow(row); }
  });

  var PALETTE = ["#9b1c1c", "#1f5f8b", "#1b6e3a", "#8a5a00", "#5b3f8c", "#2f7f7a", "#6b6b6b", "#c2185b"];

  function drawCharts() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var datasets = data.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: PALETTE[i % PALETTE.length] };
      });
      if (data.line !== null && data.line !== undefined) {
        datasets.push({
          type: "line", label: data.line_label, data: data.labels.map(function () { return data.line; }),
          borderColor: "#1d2530", borderDash: [6, 4], pointRadius: 0, fill: false
        });
      }
      new Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: !!data.stacked }, y: { stacked: !!data.stacked, beginAtZero: true } }
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawCharts); } else { drawCharts(); }
})();
