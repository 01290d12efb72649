// Bar charts for the committee's meeting report; the tables beside them hold the same figures.
(function () {
  "use strict";
  function draw() {
    if (!window.Chart) { return; }
    var holder = document.getElementById("committee-chart-data");
    var data = holder ? JSON.parse(holder.textContent) : {};
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var rows = data[canvas.getAttribute("data-chart")] || [];
      if (!rows.length) { canvas.hidden = true; return; }
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map(function (r) { return r[0]; }),
          datasets: [{ data: rows.map(function (r) { return r[1]; }), backgroundColor: "#a4262c" }]
        },
        options: {
          indexAxis: "y",
          animation: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
    // Expert scores (report histogram, dossier categories): {labels, series: [{label, data}]} in
    // a json_script named score-chart-<name>; the table beside each chart holds the same figures.
    var colours = ["#a4262c", "#1f5f8b", "#6b7280"];
    document.querySelectorAll("canvas[data-score-chart]").forEach(function (canvas) {
      var src = document.getElementById("score-chart-" + canvas.getAttribute("data-score-chart"));
      var chart = src ? JSON.parse(src.textContent) : null;
      if (!chart || !chart.labels.length) { canvas.hidden = true; return; }
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (s, i) {
            return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length] };
          })
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: chart.series.length > 1 } },
          scales: { y: { beginAtZero: true, ticks: chart.integer ? { precision: 0 } : {} } }
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
