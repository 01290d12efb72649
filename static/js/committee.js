// Bar charts for the committee's meeting report; the tables beside them hold the same figures.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("committee-chart-data");
    if (!holder || !window.Chart) { return; }
    var data = JSON.parse(holder.textContent);
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
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
