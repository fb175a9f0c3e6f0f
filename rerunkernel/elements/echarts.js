// `echarts_chart`: an Apache ECharts chart. ECharts' own ES module comes from the kernel
// once, in the model named by `library`, and runs once per page (`pageLibrary`, which
// page_library.py adds after this module), so each chart's module stays small and nothing
// is fetched from the network. `option` is the option as JSON; with `selection_activated`,
// the chart's point and brush selections go to the kernel as the widget's `value`, shaped
// as Streamlit's EChartsState.

const PALETTE = ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1",
  "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5"];

// Streamlit's look, in JupyterLab's colours (light or dark theme alike)
function streamlitTheme(el) {
  const css = getComputedStyle(el);
  const read = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const text = read("--jp-ui-font-color1", "#31333f");
  const faint = read("--jp-ui-font-color2", "#808495");
  const line = read("--jp-border-color2", "#e6eaf1");
  const axis = {
    axisLine: { lineStyle: { color: line } }, axisTick: { lineStyle: { color: line } },
    axisLabel: { color: faint }, splitLine: { lineStyle: { color: line } },
    nameTextStyle: { color: faint },
  };
  return {
    color: PALETTE, backgroundColor: "transparent",
    textStyle: { fontFamily: read("--jp-ui-font-family", "sans-serif"), color: text },
    title: { textStyle: { color: text }, subtextStyle: { color: faint } },
    legend: { textStyle: { color: text } },
    categoryAxis: axis, valueAxis: axis, timeAxis: axis, logAxis: axis,
  };
}

// Streamlit reads a tooltip's `valueFormatter` string as a number format (ECharts wants a
// function): a named format or printf-style text; anything else is dropped.
const NAMED = {
  plain: v => String(v),
  localized: v => v.toLocaleString(),
  dollar: v => v.toLocaleString(undefined, { style: "currency", currency: "USD" }),
  euro: v => v.toLocaleString(undefined, { style: "currency", currency: "EUR" }),
  yen: v => v.toLocaleString(undefined, { style: "currency", currency: "JPY" }),
  percent: v => v.toLocaleString(undefined, { style: "percent", maximumFractionDigits: 2 }),
  compact: v => v.toLocaleString(undefined, { notation: "compact" }),
  scientific: v => v.toLocaleString(undefined, { notation: "scientific" }),
  engineering: v => v.toLocaleString(undefined, { notation: "engineering" }),
  accounting: v => v.toLocaleString(undefined,
    { style: "currency", currency: "USD", currencySign: "accounting" }),
  bytes: v => {
    const units = ["B", "KB", "MB", "GB", "TB", "PB"];
    let i = 0;
    while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return `${Number(v.toFixed(1))} ${units[i]}`;
  },
};
const PLACEHOLDER = /%%|%(,)?(?:\.(\d+))?([dfisex])/g;

function numberFormat(format) {
  if (typeof format !== "string") return undefined;
  if (NAMED[format]) return NAMED[format];
  if (![...format.matchAll(PLACEHOLDER)].some(m => m[0] !== "%%")) return undefined;
  return value => format.replace(PLACEHOLDER, (all, comma, digits, kind) => {
    if (all === "%%") return "%";
    const v = Number(value);
    if (kind === "s" || Number.isNaN(v)) return String(value);
    if (kind === "e") return v.toExponential(digits === undefined ? 6 : Number(digits));
    if (kind === "x") return Math.trunc(v).toString(16);
    const places = kind === "f" ? (digits === undefined ? 6 : Number(digits)) : 0;
    const n = kind === "f" ? v : Math.trunc(v);
    return n.toLocaleString(comma ? undefined : "en-US",
      { useGrouping: !!comma, minimumFractionDigits: places, maximumFractionDigits: places });
  });
}

function entries(value) {
  return (Array.isArray(value) ? value : [value]).filter(v => v && typeof v === "object");
}

function withFormatters(option) {
  const tooltips = [...entries(option.tooltip),
    ...entries(option.series).flatMap(s => entries(s.tooltip))];
  for (const tooltip of tooltips) {
    if (typeof tooltip.valueFormatter === "string") {
      const format = numberFormat(tooltip.valueFormatter);
      if (format) tooltip.valueFormatter = v => (typeof v === "number" ? format(v) : v);
      else delete tooltip.valueFormatter;
    }
  }
  return option;
}

function css(size) {
  return typeof size === "number" ? `${size}px` : null;
}

// --- selections ---------------------------------------------------------------------------

function seriesOf(option) {
  return entries(option.series);
}

function selectionState(option, points, brushed, areas) {
  const groups = new Map();
  for (const source of [points, brushed]) {
    for (const { seriesIndex, dataType, dataIndex } of source) {
      const key = `${seriesIndex}/${dataType || "main"}`;
      if (!groups.has(key)) groups.set(key, { seriesIndex, dataType: dataType || "main",
        indices: new Set() });
      for (const i of dataIndex || []) groups.get(key).indices.add(i);
    }
  }
  const series = seriesOf(option);
  const selected = [...groups.values()].filter(g => g.indices.size)
    .sort((a, b) => a.seriesIndex - b.seriesIndex || a.dataType.localeCompare(b.dataType))
    .map(g => ({
      series_index: g.seriesIndex,
      series_id: series[g.seriesIndex]?.id ?? null,
      series_name: series[g.seriesIndex]?.name ?? null,
      data_type: g.dataType,
      data_indices: [...g.indices].sort((a, b) => a - b),
    }));
  return { selection: { selected, areas } };
}

export default {
  async render({ model, el }) {
    const box = document.createElement("div");
    box.className = "rk-echarts";
    el.append(box);
    const size = () => {
      const width = model.get("width");
      const height = model.get("height");
      box.style.width = width === "stretch" ? "100%" : css(width) || "100%";
      box.style.maxWidth = "100%";
      box.style.height = height === "stretch" ? "100%" : css(height) || "350px";
      box.style.minHeight = height === "stretch" ? "350px" : "";
    };
    size();
    let echarts;
    try {
      echarts = await pageLibrary(model, model.get("library"));
    } catch (error) {
      box.textContent = `ECharts could not be loaded: ${error}`;
      return () => {};
    }
    let chart = null;
    let option = {};
    let applying = false;
    let points = [];
    let brushed = [];
    let areas = [];

    const send = () => {
      if (applying || !model.get("selection_activated")) return;
      model.set("value", selectionState(option, points, brushed, areas));
      model.save_changes();
    };
    // what the kernel last kept is drawn again after a new option (ECharts forgets it)
    const reapply = () => {
      const kept = model.get("value")?.selection?.selected || [];
      applying = true;
      try {
        for (const group of kept) {
          chart.dispatchAction({ type: "select", seriesIndex: group.series_index,
            dataIndex: group.data_indices,
            ...(group.data_type !== "main" ? { dataType: group.data_type } : {}) });
        }
      } finally {
        applying = false;
      }
      points = kept.map(g => ({ seriesIndex: g.series_index, dataType: g.data_type,
        dataIndex: g.data_indices }));
    };
    const draw = () => {
      option = JSON.parse(model.get("option"));
      chart.setOption(withFormatters(JSON.parse(model.get("option"))), { notMerge: true });
      if (model.get("selection_activated")) reapply();
    };
    const make = () => {
      if (chart) chart.dispose();
      let theme = null;
      if (model.get("theme") === "streamlit") {
        echarts.registerTheme("rk-streamlit", streamlitTheme(el));
        theme = "rk-streamlit";
      }
      chart = echarts.init(box, theme, { renderer: model.get("renderer") });
      chart.on("selectchanged", event => {
        if (applying) return;
        points = (event.selected || []).map(s => ({ seriesIndex: s.seriesIndex,
          dataType: s.dataType, dataIndex: s.dataIndex }));
        send();
      });
      chart.on("brushSelected", event => {
        if (applying) return;
        brushed = [];
        areas = [];
        (event.batch || []).forEach((batch, index) => {
          for (const s of batch.selected || []) {
            brushed.push({ seriesIndex: s.seriesIndex, dataType: s.dataType,
              dataIndex: s.dataIndex });
          }
          for (const area of batch.areas || []) {
            if (area.coordRange == null) continue; // pixels only: not the data's geometry
            areas.push({ brush_index: batch.brushIndex ?? index,
              brush_type: area.brushType, coord_range: area.coordRange });
          }
        });
        send();
      });
      chart.getZr().on("dblclick", () => {
        if (!model.get("selection_activated")) return;
        applying = true;
        try {
          for (const p of points) {
            chart.dispatchAction({ type: "unselect", seriesIndex: p.seriesIndex,
              dataIndex: p.dataIndex, ...(p.dataType ? { dataType: p.dataType } : {}) });
          }
          chart.dispatchAction({ type: "brush", areas: [] });
        } finally {
          applying = false;
        }
        points = [];
        brushed = [];
        areas = [];
        send();
      });
      draw();
    };
    const fail = error => {
      box.textContent = `ECharts could not draw this chart: ${error}`;
      box.style.height = "";
    };
    const guarded = fn => () => {
      try {
        fn();
      } catch (error) {
        fail(error);
      }
    };
    guarded(make)();
    const onOption = guarded(draw);
    const onLook = guarded(make);
    const onSize = () => { size(); chart?.resize(); };
    model.on("change:option", onOption);
    model.on("change:theme change:renderer", onLook);
    model.on("change:width change:height", onSize);
    const observer = new ResizeObserver(() => chart?.resize());
    observer.observe(box);
    return () => {
      observer.disconnect();
      model.off("change:option", onOption);
      model.off("change:theme change:renderer", onLook);
      model.off("change:width change:height", onSize);
      chart?.dispose();
    };
  },
};
