// The readiness chart (templates/creation/evidence/readiness.html): the predicted total at each month-end, with
// the pass line. Data from the page's json_script (no inline script: CSP); the table below carries the same data.
(function () {
  var data = document.getElementById("readiness-chart-data");
  var el = document.getElementById("readiness-chart");
  if (!data || !el || !window.echarts) { return; }
  var chart = JSON.parse(data.textContent);
  var plot = window.echarts.init(el);
  plot.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 20, top: 20, bottom: 30 },
    xAxis: { type: "category", data: chart.months },
    yAxis: { type: "value", min: 0, max: 100 },
    series: [{
      name: chart.title, type: "line", data: chart.totals, smooth: false,
      markLine: { symbol: "none", label: { formatter: chart.threshold_label + " {c}" },
                  data: [{ yAxis: chart.threshold }] }
    }]
  });
  window.addEventListener("resize", function () { plot.resize(); });
})();
