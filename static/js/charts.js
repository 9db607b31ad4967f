// The dashboards' charts (ECharts, served by the app from static/vendor). No inline script: each chart is an element
// with data-chart="<id>" naming a <script type="application/json" id="<id>"> that Django's json_script wrote
// (dashboards/tables.py chart()): {kind, categories, series: [{name, data, line?}], horizontal?, states?, palette?}.
// kind: "stacked" (stacked bars), "bars" (one series, one colour per stage), "scores" (grouped bars with the pass line).
// The table behind every chart is on the page (the "数据表" tab); the chart only draws it. Tooltips are drawn on the
// canvas (renderMode richText), so no HTML with style attributes is made (Content-Security-Policy: no inline style).
(function () {
  "use strict";
  if (!window.echarts) { return; }

  // Stages in the colours of their phase of the legal order: application and review (blue), creation (green),
  // evaluation (amber), publicity and designation (violet), designated (red), closed without designation (grey).
  var STATE_COLOURS = {
    draft: "#9fb3cf", submitted: "#5b8bd0", returned: "#8fb0e0", recommended: "#1f4e8c",
    not_recommended: "#a7a9ac", not_approved: "#8d8f92", creating: "#2e8b57",
    evaluation_applied: "#e0a526", evaluation_returned: "#f2c96b", under_evaluation: "#c97c10",
    awaiting_re_evaluation: "#e6b34d", evaluation_failed: "#6f7174", evaluation_passed: "#8a6fbf",
    in_publicity: "#6a4fa3", awaiting_designation: "#4d3582", designated: "#b3261e", not_designated: "#5c5e61",
    revoked: "#3f4144", withdrawn: "#b9bbbe", lapsed: "#7d7f82"
  };
  var PALETTES = {
    base: ["#1f4e8c", "#c8a24a", "#2e8b57", "#b3261e", "#6a4fa3", "#3d8fb6", "#c97c10", "#5c5e61"],
    risk: ["#b3261e", "#e0a526"],
    zones: ["#b3261e", "#5c5e61"]
  };
  var FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";

  function read(element) {
    var source = document.getElementById(element.dataset.chart);
    return source ? JSON.parse(source.textContent) : null;
  }

  function base(spec) {
    return {
      animationDuration: 300,
      textStyle: { fontFamily: FONT },
      color: (PALETTES[spec.palette] || PALETTES.base).slice(),
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText", confine: true },
      legend: { type: "scroll", top: 0, left: "center", textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true }
    };
  }

  // A long label (a call's title) is cut to about ``units`` (a CJK character counts two); the tooltip and the
  // table have it whole.
  function shorten(units) {
    return function (text) {
      var used = 0;
      for (var i = 0; i < text.length; i += 1) {
        used += text.charCodeAt(i) > 0x2e7f ? 2 : 1;
        if (used > units) { return text.slice(0, i) + "…"; }
      }
      return text;
    };
  }

  function axes(option, spec, horizontal) {
    var category = { type: "category", data: spec.categories, axisTick: { alignWithLabel: true },
                     axisLabel: { interval: 0, fontSize: 12, formatter: shorten(horizontal ? 22 : 16) } };
    var value = { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#e3e6ea" } } };
    if (horizontal) {
      category.inverse = true;  // the table's first row on top
      option.grid.left = 20;
      option.xAxis = value;
      option.yAxis = category;
    } else {
      option.xAxis = category;
      option.yAxis = value;
    }
  }

  function stacked(spec) {
    var option = base(spec);
    axes(option, spec, spec.horizontal);
    option.series = spec.series.map(function (s, i) {
      var series = { name: s.name, type: "bar", stack: "total", data: s.data, barMaxWidth: 36,
                     emphasis: { focus: "series" } };
      var state = spec.states && spec.states[i];
      if (state && STATE_COLOURS[state]) { series.itemStyle = { color: STATE_COLOURS[state] }; }
      return series;
    });
    return option;
  }

  function bars(spec) {
    var option = base(spec);
    option.legend.show = false;
    option.grid.top = 12;
    axes(option, spec, spec.horizontal);
    var s = spec.series[0];
    option.series = [{
      name: s.name, type: "bar", barMaxWidth: 28,
      label: { show: true, position: spec.horizontal ? "right" : "top" },
      data: s.data.map(function (value, i) {
        var state = spec.states && spec.states[i];
        return state && STATE_COLOURS[state] ? { value: value, itemStyle: { color: STATE_COLOURS[state] } } : value;
      })
    }];
    return option;
  }

  function scores(spec) {
    var option = base(spec);
    axes(option, spec, false);
    option.yAxis.minInterval = 0;
    option.series = spec.series.map(function (s) {
      if (s.line) {
        // Each group's pass line: a short red bar across the group's column of bars.
        return { name: s.name, type: "scatter", data: s.data, symbol: "rect", symbolSize: [64, 3], z: 5,
                 itemStyle: { color: "#b3261e" } };
      }
      return { name: s.name, type: "bar", data: s.data, barMaxWidth: 22, barGap: "15%" };
    });
    return option;
  }

  var KINDS = { stacked: stacked, bars: bars, scores: scores };
  var charts = [];

  function draw(element) {
    if (element.dataset.chartDrawn) { return; }
    var spec = read(element);
    if (!spec || !KINDS[spec.kind]) { return; }
    if (spec.horizontal) {
      // One band per row of the table: the chart is as tall as its rows need (CSSOM, allowed by the CSP).
      element.style.height = Math.max(200, 70 + 34 * spec.categories.length) + "px";
    }
    // The element's own aria-label (in the page's language) names the chart; the data is in the table beside it.
    var locale = document.documentElement.lang === "en" ? "EN" : "ZH";
    var chart = window.echarts.init(element, null, { renderer: "canvas", locale: locale });
    chart.on("finished", function () { element.dataset.chartReady = "1"; });
    chart.setOption(KINDS[spec.kind](spec));
    element.dataset.chartDrawn = "1";
    charts.push(chart);
  }

  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
  window.addEventListener("resize", resizeAll);
  // A chart in a tab that was hidden has no size: resize when its tab is shown again.
  document.addEventListener("shown.bs.tab", resizeAll);
})();
