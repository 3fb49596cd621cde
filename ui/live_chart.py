"""A Plotly chart that updates in place while a fragment reruns.

``st.plotly_chart`` remounts the chart whenever the figure changes, so a chart
fed by ``@st.fragment(run_every=...)`` blinks and fades. :func:`live_chart`
is a small ``st.components.v2`` component instead: the browser keeps one
plot ``<div>`` per key and, on every rerun with a new figure, calls
``Plotly.react(div, data, layout, config)`` on it. Nothing is remounted, so no
frame is blank, and zoom survives updates (``layout.uirevision``).

plotly.js is plotly.js's cartesian bundle (``ui/plotly_js/``: scatter, bar, heatmap, contour
and the rest of its twelve trace types; a figure with another type is refused), copied to
``static/`` (see :mod:`ui.static_files`) and loaded once per page, shared by all live charts.

Figures on plotly's default template (``import streamlit`` makes that the
"streamlit" template, whose colours are placeholders) get the app theme's
colours and fonts in the browser, as ``st.plotly_chart`` gives them.

Between two ticks a live surface usually changes only its picture (a layout image) and its
boundaries (path shapes). Then the browser sets those on the drawn SVG itself instead of calling
``Plotly.react``: on the XOR page that took the browser's main thread from 96 % busy to 82 %
and the chart from 6.8 to 9.1 updates a second (benchmarks/live_speed.py).
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import plotly.io as pio
import streamlit as st

from ui.runtime import configure_runtime
from ui.static_files import CARTESIAN_TRACES, PLOTLY_JS_URL

COMPONENT_NAME = "neural_playground_live_chart"

_HTML = """
<div class="np-live-chart">
  <div class="np-live-chart__plot"></div>
  <div class="np-live-chart__error" hidden></div>
</div>
"""

# The component is not style-isolated (Plotly puts its own CSS in the page
# <head>, which a shadow root would not see), so every rule is scoped by class.
_CSS = """
.np-live-chart { width: 100%; }
.np-live-chart__plot { width: 100%; }
.np-live-chart__error {
  padding: 0.75rem 1rem;
  border-radius: 0.5rem;
  background: var(--st-red-background-color, #fde8e8);
  color: var(--st-red-text-color, #a11);
  font-family: var(--st-font, sans-serif);
  font-size: 0.9rem;
}
"""

_JS = """
// One record per page, shared by every live chart (and by every copy of this module).
const LIVE = (window.__npLiveChart ??= {});
LIVE.plotly ??= null;       // the promise of window.Plotly
LIVE.plots ??= new Map();   // page path + key -> plot div
LIVE.updates ??= 0;         // figures received, all charts
LIVE.reacts ??= 0;          // Plotly.react calls, all charts (fewer if a slow page skips frames)
LIVE.mounts ??= 0;          // plot divs created
LIVE.adopted ??= 0;         // plot divs moved into a re-created element

// Load plotly.js once per page; every chart awaits the same promise.
function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!LIVE.plotly) {
    LIVE.plotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      const fail = (err) => { LIVE.plotly = null; script.remove(); reject(err); };
      script.src = src;
      script.async = true;
      script.onload = () => window.Plotly
        ? resolve(window.Plotly)
        : fail(new Error(`${src} loaded but did not define window.Plotly`));
      script.onerror = () => fail(new Error(
        `Could not load ${src}. Is [server] enableStaticServing = true in .streamlit/config.toml?`));
      document.head.appendChild(script);
    });
  }
  return LIVE.plotly;
}

// `import streamlit` makes "streamlit" plotly's default template. Its colours are
// placeholders (#000001...#000040) that st.plotly_chart swaps for the theme's
// colours in the browser; do the same here from the theme's CSS variables.
const PLACEHOLDER = /#0000([0-3][0-9]|40)(?![0-9a-fA-F])/g;

function themeColours(el) {
  const css = getComputedStyle(el);
  const v = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const list = (name, fallback) => v(name, fallback).split(",").map((c) => c.trim());
  return {
    categorical: list("--st-chart-categorical-colors",
      "#0068c9,#83c9ff,#ff2b2b,#ffabab,#29b09d,#7defa1,#ff8700,#ffd16a,#6d3fc0,#d5dae5"),
    sequential: list("--st-chart-sequential-colors",
      "#e4f5ff,#c7ebff,#a6dcff,#83c9ff,#60b4ff,#3d9df3,#1c83e1,#0068c9,#0054a3,#004280"),
    diverging: list("--st-chart-diverging-colors",
      "#7d353b,#bd4043,#ff4b4b,#ff8c8c,#ffc7c7,#a6dcff,#60b4ff,#1c83e1,#0054a3,#004280"),
    bg: v("--st-background-color", "#ffffff"),
    bg2: v("--st-secondary-background-color", "#f0f2f6"),
    text: v("--st-text-color", "#31333f"),
    border: v("--st-border-color", "rgba(49, 51, 63, 0.2)"),
    grid: v("--st-border-color-light", "rgba(49, 51, 63, 0.1)"),
    font: v("--st-font", "sans-serif"),
    green: v("--st-green-color", "#21c354"),
    red: v("--st-red-color", "#ff4b4b"),
    blue: v("--st-blue-color", "#1c83e1"),
    gray: v("--st-gray-color", "#a3a8b8"),
  };
}

function placeholderColour(n, t) {
  if (n <= 10) return t.categorical[(n - 1) % t.categorical.length];
  if (n <= 20) return t.sequential[(n - 11) % t.sequential.length];
  if (n <= 30) return t.diverging[(n - 21) % t.diverging.length];
  return { 32: t.green, 33: t.red, 34: t.blue, 35: t.gray, 36: t.text, 37: t.text,
           38: t.bg, 39: t.grid, 40: t.bg2 }[n] ?? t.text;
}

// Copy `defaults` into `target` wherever `target` has no value of its own.
function fillMissing(target, defaults) {
  for (const [k, v] of Object.entries(defaults)) {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      if (target[k] === undefined) target[k] = {};
      if (target[k] && typeof target[k] === "object") fillMissing(target[k], v);
    } else if (target[k] === undefined) {
      target[k] = v;
    }
  }
  return target;
}

function parseFigure(json, el) {
  if (!json.includes("#0000")) return JSON.parse(json);
  const t = themeColours(el);
  const streamlitTemplate = json.includes('"#000001"');
  const fig = JSON.parse(json.replace(PLACEHOLDER, (_, n) => placeholderColour(Number(n), t)));
  if (streamlitTemplate) {
    // Roughly the look st.plotly_chart gives the same figure, below the figure's own layout.
    const layout = (fig.layout ??= {});
    const template = (layout.template ??= {});
    const axis = { gridcolor: t.grid, zerolinecolor: t.grid, linecolor: t.border,
                   tickcolor: t.border, automargin: true };
    fillMissing((template.layout ??= {}), {
      font: { family: t.font, color: t.text },
      paper_bgcolor: t.bg, plot_bgcolor: t.bg,
      xaxis: { ...axis, showgrid: false, zeroline: false },
      yaxis: axis,
      hoverlabel: { bgcolor: t.bg, bordercolor: t.border, font: { color: t.text, family: t.font } },
      legend: { bgcolor: "rgba(0,0,0,0)" },
    });
  }
  return fig;
}

function showError(chart, err) {
  const box = chart.querySelector(".np-live-chart__error");
  box.textContent = `Live chart unavailable: ${err && err.message ? err.message : err}`;
  box.hidden = false;
  console.error("live_chart:", err);
}

// Between two ticks a live surface usually changes only its picture (a layout image) and its
// boundary lines (path shapes): the rest of the figure, traces included, is the same. Then
// those are set on the drawn SVG directly, in about a millisecond, instead of a Plotly.react,
// which spends 15-30 ms re-deriving the unchanged figure. Plotly's own copies of the layout
// get the new values too, so a later zoom, resize or react draws the same thing.
function layoutRest(layout, config) {
  const strip = (list, key) => (list ?? []).map((item) => ({ ...item, [key]: undefined }));
  return JSON.stringify([{ ...layout, images: strip(layout.images, "source"),
                           shapes: strip(layout.shapes, "path") }, config]);
}

// A path of absolute M / L / Z commands in data coordinates, as plotly.js draws it in pixels
// (null for anything else: Plotly.react draws those).
function pathToPixels(path, xa, ya) {
  if (typeof path !== "string" || /[^MLZ0-9eE+\\-., \\n]/.test(path)) return null;
  const x2p = (v) => xa._offset + xa.r2p(v), y2p = (v) => ya._offset + ya.r2p(v);
  let bad = false;
  const out = path.replace(/([MLZ])([^MLZ]*)/g, (_, cmd, args) => {
    if (cmd === "Z") return "Z";
    const v = args.trim().split(/[\\s,]+/).filter((a) => a !== "").map(Number);
    if (!v.length || v.length % 2 || v.some((a) => !Number.isFinite(a))) { bad = true; return ""; }
    const points = [];
    for (let i = 0; i < v.length; i += 2) points.push(`${x2p(v[i])},${y2p(v[i + 1])}`);
    return cmd + points.join(cmd === "M" ? "L" : " L");
  });
  return bad ? null : out;
}

function patchLayout(plot, layout) {
  const full = plot._fullLayout, user = plot.layout;
  if (!full || !user) return false;
  const images = layout.images ?? [], shapes = layout.shapes ?? [];
  if (images.length !== (user.images ?? []).length || shapes.length !== (user.shapes ?? []).length)
    return false;
  const edits = [];
  for (let i = 0; i < images.length; i++) {
    if (images[i].source === user.images[i].source) continue;
    const el = [...plot.querySelectorAll(".imagelayer image")].filter(
      (e) => e.__data__ && e.__data__._index === i);
    if (el.length !== 1 || !full.images[i]) return false;
    edits.push(() => {
      el[0].setAttribute("href", images[i].source);
      user.images[i].source = full.images[i].source = images[i].source;
    });
  }
  for (let i = 0; i < shapes.length; i++) {
    if (shapes[i].path === user.shapes[i].path) continue;
    const s = full.shapes[i];
    const el = plot.querySelectorAll(`.shapelayer path[data-index="${i}"]`);
    if (!s || s.type !== "path" || el.length !== 1) return false;
    const xa = full[(s.xref || "x").replace(/^x(\\d*)$/, "xaxis$1")];
    const ya = full[(s.yref || "y").replace(/^y(\\d*)$/, "yaxis$1")];
    if (!xa || !ya || xa.type !== "linear" || ya.type !== "linear") return false;
    const d = pathToPixels(shapes[i].path, xa, ya);
    if (d === null) return false;
    edits.push(() => {
      el[0].setAttribute("d", d);
      user.shapes[i].path = full.shapes[i].path = shapes[i].path;
    });
  }
  edits.forEach((edit) => edit());
  return true;
}
LIVE.patchLayout = patchLayout;  // (for tests and the browser console)

// plotly.js never wraps a title: in a narrow column the SVG cuts it. A title wider than its
// chart is wrapped onto more lines at spaces, and the top margin grows to hold them.
function fitTitle(layout, width, el) {
  const title = typeof layout.title === "string" ? { text: layout.title } : layout.title;
  const text = title && title.text;
  if (typeof text !== "string" || !text || text.includes("<br") || !(width > 0)) return;
  const template = (layout.template && layout.template.layout) || {};
  const size = (title.font && title.font.size) || 17;
  const family = (title.font && title.font.family) || (layout.font && layout.font.family) ||
    (template.font && template.font.family) || getComputedStyle(el).fontFamily || "sans-serif";
  const ctx = (LIVE.measure ??= document.createElement("canvas").getContext("2d"));
  ctx.font = `${size}px ${family}`;
  const plain = (t) => t.replace(/<[^>]*>/g, "");
  // a title on the left starts at x (a share of the chart's width) and keeps as much room on
  // the right; a centred one (plotly's default) may use the whole width
  const x = typeof title.x === "number" ? title.x : 0.5;
  const room = (x < 0.25 ? width * (1 - 2 * x) : width) - 8;
  if (ctx.measureText(plain(text)).width <= room) return;
  const lines = [];
  for (const word of text.split(" ")) {
    const last = lines.length ? `${lines[lines.length - 1]} ${word}` : word;
    if (lines.length && ctx.measureText(plain(last)).width <= room) lines[lines.length - 1] = last;
    else lines.push(word);
  }
  if (lines.length < 2) return;
  layout.title = { ...title, text: lines.join("<br>") };
  const margin = layout.margin ?? {};
  layout.margin = { ...margin, t: (margin.t ?? 100) + Math.ceil((lines.length - 1) * size * 1.3) };
}

// plotly.js places a legend by a share of the plot area's height, not in pixels, and centres
// the title in the top margin: in a narrow column a horizontal legend wraps onto several rows
// and then covers the axis title under the plot, or the title above it. Such a legend is placed
// in pixels instead: at the chart's bottom, or under a title pinned to the top, and the margin
// grows by the legend's height as measured on the last draw (state.legendH).
function placeLegend(layout, state, height) {
  const legend = layout.legend;
  if (layout.showlegend === false || !legend || legend.orientation !== "h" ||
      typeof legend.y !== "number" || (legend.y >= 0 && legend.y <= 1) || !(height > 0)) return;
  const rows = state.legendH ?? 22;
  const margin = { ...(layout.margin ?? {}) };
  if (legend.y < 0) {
    margin.b = (margin.b ?? 80) + rows + 6;
    layout.legend = { ...legend, yref: "container", yanchor: "bottom", y: 4 / height };
  } else {
    const title = typeof layout.title === "string" ? { text: layout.title } : layout.title;
    let top = 6;
    if (title && title.text) {
      const size = (title.font && title.font.size) || 17;
      layout.title = { ...title, yref: "container", yanchor: "top", y: 1 - top / height };
      top += Math.ceil(((title.text.match(/<br/g) || []).length + 1) * size * 1.3) + 4;
    }
    layout.legend = { ...legend, yref: "container", yanchor: "top", y: 1 - top / height };
    margin.t = top + rows + 8;
  }
  layout.margin = margin;
}

// A chart drawn at one scale on both axes (yaxis.scaleanchor) in a narrow column fills only
// part of a fixed height, and leaves empty bands above and below: with `fit`, its height is
// what its ranges need at the column's width (at most the height asked for).
function fittedHeight(layout, next, width) {
  const xr = layout.xaxis && layout.xaxis.range, yr = layout.yaxis && layout.yaxis.range;
  if (!next.fit || !xr || !yr || !(width > 0)) return next.height;
  const m = layout.margin ?? {};
  const inner = (width - (m.l ?? 80) - (m.r ?? 80)) *
    Math.abs(yr[1] - yr[0]) / Math.abs(xr[1] - xr[0]) * (layout.yaxis.scaleratio ?? 1);
  return Math.min(next.height, Math.max(160, Math.ceil(inner + (m.t ?? 100) + (m.b ?? 80))));
}

function legendHeight(plot) {
  const g = plot.querySelector("g.legend");
  return g ? Math.ceil(g.getBoundingClientRect().height) : 0;
}

// Draw the newest figure; figures that arrive while Plotly is busy are
// coalesced, so a slow browser skips frames instead of queueing them.
async function drawLatest(chart, plot, state) {
  if (state.busy) return;
  state.busy = true;
  try {
    while (state.next) {
      const next = state.next;
      state.next = null;
      state.lastFigure = next;
      // A rerun that sends the very same figure (a paused chart, a rerun of the page) costs
      // nothing: the plot already shows it.
      if (next.figure === state.drawn && next.height === state.drawnHeight) continue;
      const Plotly = await loadPlotly(next.src);
      const fig = parseFigure(next.figure, chart);
      const layout = fig.layout ?? {};
      // Fill the container: width follows the column, height is live_chart's `height`.
      layout.autosize = true;
      delete layout.width;
      delete layout.height;
      const width = plot.clientWidth || chart.clientWidth;
      fitTitle(layout, width, chart);
      placeLegend(layout, state, next.height);
      plot.style.height = `${fittedHeight(layout, next, width)}px`;
      // A constant uirevision keeps the user's zoom and pan across updates.
      if (layout.uirevision === undefined) layout.uirevision = next.key;
      // a narrow chart's toolbar stands on its right edge (across the top, it covered the
      // title), unless a colour bar is there
      const colourBar = (fig.data ?? []).some((t) => t.showscale);
      if (width > 0 && width < NARROW_PX && !colourBar && !layout.modebar?.orientation)
        layout.modebar = { ...(layout.modebar ?? {}), orientation: "v" };
      // a small toolbar: plotly.js's ten buttons covered a narrow chart's title on hover
      const config = { responsive: true, displaylogo: false,
                       modeBarButtonsToRemove: TOOLBAR_LEFT_OUT, ...(fig.config ?? {}) };
      // A trace identical to the one drawn last time is passed as that same object: plotly.js
      // then knows its data did not change and does not recompute or redraw it.
      const traces = fig.data ?? [];
      const texts = traces.map((t) => JSON.stringify(t));
      const kept = traces.map((t, k) => (state.texts && state.texts[k] === texts[k])
        ? state.traces[k] : t);
      const sameTraces = kept.length === (state.traces ?? []).length &&
        kept.every((t, k) => t === state.traces[k]);
      const rest = layoutRest(layout, config);
      if (sameTraces && rest === state.rest && next.height === state.drawnHeight &&
          patchLayout(plot, layout)) {
        state.patches = (state.patches ?? 0) + 1;
        plot.dataset.patches = String(state.patches);
      } else if (state.uirevision !== undefined && layout.uirevision !== state.uirevision) {
        // a new view (new data): drawn afresh. Plotly.react kept the old view's constrained
        // axes, and a plane drawn at one scale got the old plot's width of x, past its surface
        await Plotly.newPlot(plot, kept, layout, config);
        state.plotlyClickBound = false;  // newPlot dropped plotly.js's event handlers
      } else {
        await Plotly.react(plot, kept, layout, config);
      }
      state.uirevision = layout.uirevision;
      state.rest = rest;
      state.texts = texts;
      state.traces = kept;
      state.drawn = next.figure;
      state.drawnHeight = next.height;
      const legendH = legendHeight(plot);
      if (legendH > 0 && Math.abs(legendH - (state.legendH ?? 22)) > 1) {
        state.legendH = legendH;  // room for the legend as it is drawn: once more with it
        if (!state.next) { state.drawn = null; state.next = next; }
      }
      state.reacts += 1;
      LIVE.reacts += 1;
      plot.dataset.reacts = String(state.reacts);
      // A click on the chart goes to Python as the "click" trigger of the newest call: on a
      // point, plotly says which; anywhere else in the plot area (a surface drawn as an
      // image has no trace to hit), the click's position in data coordinates.
      // Each click has an id of its own: Python acts on it once, however many runs see it.
      const clickId = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      // The mouse's position in data coordinates, or null outside the plot area.
      const cursorAt = (ev) => {
        const layout = plot._fullLayout, xa = layout && layout.xaxis, ya = layout && layout.yaxis;
        if (!ev || !xa || !ya || !xa.p2c) return null;
        const box = plot.getBoundingClientRect();
        const px = ev.clientX - box.left - xa._offset, py = ev.clientY - box.top - ya._offset;
        if (px < 0 || py < 0 || px > xa._length || py > ya._length) return null;
        return { x: xa.p2c(px), y: ya.p2c(py) };
      };
      if (!state.plotlyClickBound && typeof plot.on === "function") {
        plot.on("plotly_click", (event) => {
          const p = event && event.points && event.points[0];
          if (!p || !state.trigger) return;
          state.pointClickAt = performance.now();
          const index = p.pointIndex ?? p.pointNumber ?? null;
          // x, y: the point's (plotly snaps to a point within hover distance); at: the mouse's,
          // for a page that puts something where the click was
          state.trigger("click", { x: p.x, y: p.y, curve: p.curveNumber, index: index,
                                   name: (p.data && p.data.name) || null,
                                   at: cursorAt(event.event), id: clickId() });
        });
        state.plotlyClickBound = true;
      }
      if (!state.clickBound) {
        plot.addEventListener("mousedown", (ev) => { state.downAt = [ev.clientX, ev.clientY]; });
        plot.addEventListener("click", (ev) => {
          const down = state.downAt;
          if (!state.trigger || !down || performance.now() - (state.pointClickAt || 0) < 400 ||
              Math.hypot(ev.clientX - down[0], ev.clientY - down[1]) > 4) return;  // a drag
          const at = cursorAt(ev);
          if (!at) return;  // legend, margins
          state.trigger("click", { x: at.x, y: at.y, curve: null, index: null, name: null, at,
                                   id: clickId() });
        });
        state.clickBound = true;
      }
      chart.querySelector(".np-live-chart__error").hidden = true;
      if (!state.observer && window.ResizeObserver) {
        // `responsive` only follows window resizes; this also follows the column.
        let width = plot.clientWidth;
        state.observer = new ResizeObserver(() => {
          if (plot.clientWidth !== width && plot.clientWidth > 0) {
            width = plot.clientWidth;
            Plotly.Plots.resize(plot);
            if (state.lastFigure && !state.next) {  // the title may wrap otherwise now
              state.drawn = null;
              state.next = state.lastFigure;
              drawLatest(chart, plot, state);
            }
          }
        });
        state.observer.observe(plot);
      }
    }
  } catch (err) {
    showError(chart, err);
  } finally {
    state.busy = false;
  }
}

// Toolbar buttons a live chart does without: selections (a live chart has nothing to select),
// zoom in / out steps and autoscale (drag to zoom, double-click or the house to reset), and
// "Share chart", which would upload the chart to Plotly Cloud.
const TOOLBAR_LEFT_OUT = ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                          "sendChartToCloud"];

// Narrower than this, a chart's title runs under a toolbar across its top.
const NARROW_PX = 420;

// How long a plot that left the page is kept for Streamlit to mount its key again.
const KEEP_MS = 10000;

export default function (component) {
  const { data, parentElement } = component;
  const chart = parentElement.querySelector(".np-live-chart");
  if (!chart || !data) return;
  const id = `${location.pathname}::${data.key}`;
  let plot = chart.querySelector(".np-live-chart__plot");
  if (!plot) {
    // a newer element of this key took the plot, and then this one was drawn
    // again after all: give it a plot div, which takes the plot back below
    plot = document.createElement("div");
    plot.className = "np-live-chart__plot";
    chart.prepend(plot);
  }
  if (!plot.__npLive) {
    // Streamlit sometimes drops an element and mounts it again a moment later,
    // or mounts the new one while the old, stale one is still on the page (a
    // run_every tick racing a full rerun that moved the chart): move the old
    // plot into the new element, so it shows the last frame and keeps its zoom.
    // A key names one chart on a page, so the old element is on its way out.
    const kept = LIVE.plots.get(id);
    if (kept && kept.__npLive) {
      clearTimeout(kept.__npLive.purgeTimer);
      plot.replaceWith(kept);
      plot = kept;
      LIVE.adopted += 1;
    } else {
      plot.__npLive = { next: null, busy: false, reacts: 0, observer: null, purgeTimer: 0,
                        frameTimer: 0, trigger: null, clickBound: false,
                        plotlyClickBound: false };
      LIVE.mounts += 1;
    }
    LIVE.plots.set(id, plot);
  }
  const state = plot.__npLive;
  if (!data.fit || !plot.style.height) plot.style.height = `${data.height}px`;
  state.trigger = data.clickable ? component.setTriggerValue : null;
  LIVE.updates += 1;
  // Frames that come before this figure (earlier states of the same run) are drawn first,
  // `spacing` ms apart, and the figure itself last; newer data cancels the frames still due.
  clearTimeout(state.frameTimer);
  const frames = (data.before ?? []).map((figure) => ({ ...data, figure, before: null }));
  frames.push(data);
  const drawNext = () => {
    state.next = frames.shift();
    drawLatest(chart, plot, state);
    if (frames.length) state.frameTimer = setTimeout(drawNext, data.spacing ?? 0);
  };
  drawNext();

  // Streamlit runs the cleanup of the latest call when the element unmounts,
  // and at once for a call that a newer one overtook: only free a plot that
  // has been off the page for a while.
  return () => {
    clearTimeout(state.purgeTimer);
    state.purgeTimer = setTimeout(() => {
      if (plot.isConnected) return;
      clearTimeout(state.frameTimer);
      state.observer?.disconnect();
      window.Plotly?.purge(plot);
      plot.__npLive = null;
      if (LIVE.plots.get(id) === plot) LIVE.plots.delete(id);
    }, KEEP_MS);
  };
}
"""

_live_chart_component = st.components.v2.component(
    COMPONENT_NAME, html=_HTML, css=_CSS, js=_JS, isolate_styles=False
)


def figure_to_json(fig: Any) -> str:
    """Serialise a plotly Figure, or a figure dict, for plotly.js.

    Numpy arrays become base64 typed arrays (``{"dtype": "f4", "bdata": ...}``, 2-D ones with a
    ``shape``), which plotly.js decodes; send grids as float32 or uint8 to keep them small.
    A dict is encoded as it is, without plotly.py's validation, which would cost more than the
    rest of a live update (our builders in ``ui.figures`` produce valid dicts and are tested).
    """
    data = fig.get("data", []) if isinstance(fig, dict) else fig.data
    missing = {(t.get("type") if isinstance(t, dict) else t.type) or "scatter"
               for t in data} - CARTESIAN_TRACES
    if missing:
        raise ValueError(f"live_chart draws with plotly.js's cartesian bundle, which has no "
                         f"{', '.join(sorted(missing))} trace (it has "
                         f"{', '.join(sorted(CARTESIAN_TRACES))}).")
    if isinstance(fig, dict):
        layout, legends = shapes_in_legend(fig.get("layout", {}))
        fig = {"data": [_encoded(t) for t in data] + legends, "layout": layout}
        return pio.to_json(fig, validate=False)
    return pio.to_json(fig, validate=True)


def shapes_in_legend(layout: dict) -> tuple[dict, list]:
    """The layout with its legend shapes left out of the legend, and for each of them a
    legend-only line trace of the same name, colour and dash.

    plotly.js draws every path shape's legend entry as the same hexagon, so a boundary line, a
    dashed baseline and an arrow could not be told apart in the legend. The caller's layout is
    not changed."""
    shapes = layout.get("shapes") or []
    if not any(s.get("showlegend") for s in shapes):
        return layout, []
    legends = [dict(type="scatter", x=[None], y=[None], mode="lines", name=s.get("name", ""),
                    line={k: v for k, v in (s.get("line") or {}).items()
                          if k in ("color", "width", "dash")},
                    showlegend=True, hoverinfo="skip", visible=s.get("visible", True))
               for s in shapes if s.get("showlegend")]
    shapes = [dict(s, showlegend=False) if s.get("showlegend") else s for s in shapes]
    return dict(layout, shapes=shapes), legends


# plotly.js's typed arrays: numpy dtype -> its short name (as plotly.py's own encoder)
_TYPED = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4",
          "uint32": "u4", "float32": "f4", "float64": "f8"}
_NOT_ARRAYS = frozenset({"geojson", "layer", "layers", "range"})  # plotly.py leaves these


def _typed_array(v: np.ndarray):
    """``v`` as a plotly.js typed array spec, as ``_plotly_utils.utils.to_typed_array_spec``
    makes it (64-bit integers made as small as their values allow), or the array itself where
    plotly.js has no typed array for it (JSON then writes its values)."""
    if v.size == 0:
        return v
    if v.dtype.kind in "iu" and v.dtype.itemsize == 8:
        lo, hi = v.min(), v.max()
        for t in ((np.uint8, np.uint16, np.uint32) if v.dtype.kind == "u" else
                  (np.int8, np.int16, np.int32)):
            if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max:
                v = v.astype(t)
                break
        else:
            return v
    short = _TYPED.get(v.dtype.name)
    if short is None:
        return v
    spec = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(v)).decode("ascii")}
    if v.ndim > 1:
        spec["shape"] = str(v.shape)[1:-1]
    return spec


def _encoded(obj):
    """A copy of a trace (a dict) whose numpy arrays, in nested dicts too, are typed arrays.

    The result is what plotly.py's ``convert_to_base64`` makes, without its checks of every
    array for a dataframe (a fifth of a live tick's time in the server) and without changing
    the caller's dicts: arrays that are dict values are converted; lists are walked, not
    converted, as plotly.py does."""
    if isinstance(obj, dict):
        return {k: v if k in _NOT_ARRAYS else
                _typed_array(v) if isinstance(v, np.ndarray) and v.ndim else _encoded(v)
                for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [v if isinstance(v, np.ndarray) else _encoded(v) for v in obj]
    return obj


def live_chart(fig: Any, *, key: str, height: int = 380, clickable: bool = False,
               fit: bool = False, before: list | None = None, spacing: float = 0.0):
    """Draw `fig` (a plotly Figure or its dict) and update it in place on later reruns.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or dict
        The figure. Its ``layout.width`` and ``layout.height`` are ignored: the
        chart fills the column's width and is `height` pixels tall. Set
        ``layout.uirevision`` to a new value to reset the user's zoom;
        by default it is `key`, so zoom and pan survive updates.
    key : str
        Identifies the chart across reruns; unique on the page. Keep it the same
        from one rerun to the next or the chart is rebuilt. Like a widget key,
        it also names an entry in ``st.session_state``.
    height : int
        Height of the chart in pixels.
    clickable : bool
        Send clicks on the chart back: the run a click causes gets it as the return value.
    fit : bool
        For a figure drawn at one scale on both axes (``yaxis.scaleanchor``) with fixed axis
        ranges: as tall as those ranges need at the column's width, at most `height`, so a
        narrow column shows no empty bands above and below it.
    before : list of figures, optional
        Earlier states to show first, in order, ``spacing`` seconds apart, with `fig` last: a
        page that reruns less often than it wants its chart to move sends the states between
        two reruns along (one rerun costs the browser far more than one more frame of a chart
        that only changes its picture). A newer rerun's figure cancels the frames still due.
    spacing : float
        Seconds between two of those frames.

    Returns
    -------
    dict or None
        With ``clickable``, on the run that a click on the chart caused: the clicked point's
        ``x``, ``y``, ``curve`` (trace index), ``index`` and trace ``name``; for a click in the
        plot area away from any point, its ``x`` and ``y`` in data coordinates (the others
        None). Else None.
    """
    configure_runtime()  # plotly.js in static/, once per process (not on every tick)
    height = int(height)
    events = {"on_click_change": lambda: None} if clickable else {}
    result = _live_chart_component(
        key=key,
        data={"figure": figure_to_json(fig), "height": height, "key": key, "src": PLOTLY_JS_URL,
              "clickable": clickable, "fit": fit,
              "before": [figure_to_json(f) for f in before or ()],
              "spacing": round(1000 * float(spacing))},
        width="stretch",
        height="content" if fit else height,
        **events,
    )
    click = getattr(result, "click", None) if clickable else None
    if click:
        # A trigger can reach more than one run (a fragment's run that calls st.rerun, then the
        # app's run): the click is returned on the first only.
        seen = f"{key}__click_seen"
        if click.get("id") is not None and st.session_state.get(seen) == click["id"]:
            return None
        st.session_state[seen] = click.get("id")
    return click
