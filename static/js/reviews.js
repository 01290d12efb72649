// Expert review: live points on the scoring sheet, and charts from json_script data.
// The sheet's preview takes the scale (step, range, bands) from the page (#score-scale, rendered
// from awards/scale.py); the arithmetic is reviews/scoring.py's: item points × percentage / 100,
// to the cent (kept in whole cents here, so no binary fraction creeps in).
(function () {
  "use strict";

  var scale = null;
  function pageScale() {
    if (scale === null) {
      var source = document.getElementById("score-scale");
      scale = source ? JSON.parse(source.textContent) : { step: 1, min: 0, max: 100, bands: [] };
    }
    return scale;
  }

  function bandIndex(pct) {
    var bands = pageScale().bands;
    for (var i = 0; i < bands.length; i++) { if (pct >= bands[i][0] && pct <= bands[i][1]) { return i; } }
    return -1;
  }

  // Cents an item earns at a percentage, or null when the percentage is not one the scale allows.
  function itemCents(points, raw) {
    var s = pageScale();
    var text = String(raw).trim();
    var pct = Number(text);
    if (text === "" || !isFinite(pct) || pct < s.min || pct > s.max || pct % s.step !== 0) { return null; }
    return Math.round(Number(points) * pct);
  }

  function asPoints(cents) { return (cents / 100).toFixed(2); }

  function updateRow(row) {
    var input = row.querySelector("input[type=number]");
    var out = row.querySelector(".item-points");
    if (!input || !out) { return; }
    var cents = itemCents(row.dataset.points, input.value);
    out.textContent = cents === null ? "—" : asPoints(cents);
    out.dataset.cents = cents === null ? "" : String(cents);
    var idx = cents === null ? -1 : bandIndex(Number(input.value.trim()));
    row.querySelectorAll(".band-text").forEach(function (el, i) { el.classList.toggle("band-current", i === idx); });
    var cat = row.closest("fieldset");
    if (cat) {
      var sum = 0;
      cat.querySelectorAll(".item-row").forEach(function (r) {
        var field = r.querySelector("input[type=number]");
        var c = field ? itemCents(r.dataset.points, field.value) : null;
        if (c !== null) { sum += c; }
      });
      var target = cat.querySelector(".category-points");
      if (target) { target.textContent = asPoints(sum); }
    }
  }

  // For the page's own tests and the curious: the preview's arithmetic.
  window.mqaScorePreview = { itemCents: itemCents, bandIndex: bandIndex, asPoints: asPoints, updateRow: updateRow };

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
