/**
 * Line charts of scalar series as standalone SVG (rendered to PNG by `./png`).
 *
 * The SVG is written by hand rather than through vega-lite: vega 6 is ESM-only (awkward from this
 * CommonJS build), loads a large dependency graph for every CLI call, and measures text through a
 * canvas we do not have; a line chart needs only scales, nice ticks and paths, which are small,
 * deterministic and easy to test (every series is one `<path class="series">` whose coordinates map
 * back to the data through the `data-*` attributes on its panel).
 *
 * Layout: one shared legend at the top (one colour per series name, the same in every panel), then a
 * grid of panels, each with a title, step (x) and value (y) axes with ticks, labels and grid lines.
 */
import { smoothTensorBoard } from './smoothing';
import { niceTicks, niceDomain, logTicks, formatTicks, formatLogTick, cleanFloat } from './ticks';

export interface ChartPoint {
  step: number;
  value: number;
}

export interface ChartSeries {
  /** Legend name (a run). The same name gets the same colour in every panel. */
  name: string;
  points: readonly ChartPoint[];
  color?: string;
}

export interface ChartOptions {
  /** Total image width in pixels. */
  width?: number;
  /** Total image height in pixels. */
  height?: number;
  title?: string;
  /** TensorBoard smoothing weight in [0, 1): the raw series is drawn faded, the smoothed one solid. */
  smoothing?: number;
  /** Logarithmic value axis; points with value ≤ 0 are left out. */
  logY?: boolean;
  /** Logarithmic x axis (e.g. a learning rate); every x must be > 0. */
  logX?: boolean;
  xLabel?: string;
  yLabel?: string;
}

export interface ChartPanel {
  title: string;
  series: readonly ChartSeries[];
  /** Drawn under the series (bands, faint runs, marks: see ./bands.ts). */
  layers?: readonly PanelLayer[];
}

/** How a panel maps data to pixels, and which values it can draw. */
export interface PanelScales {
  sx: (v: number) => number;
  sy: (v: number) => number;
  usable: (v: number) => boolean;
  plotWidth: number;
}

/** Extra drawing in a panel, clipped to its plot; its `extent` points widen the panel's domain. */
export interface PanelLayer {
  extent: readonly ChartPoint[];
  draw: (scales: PanelScales) => string[];
}

export interface GridOptions extends ChartOptions {
  /** Panels per row (default: 1 for one panel, 2 for up to 4, else 3). */
  columns?: number;
  /** Legend order (and default colour order) of the series names; others follow by first appearance. */
  names?: readonly string[];
}

export interface RenderedChart {
  svg: string;
  width: number;
  height: number;
}

/** Tableau-10-like palette (as in TensorBoard's run colours): distinguishable and print-friendly. */
export const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#393b79', '#ad494a', '#637939', '#8c6d31', '#7b4173',
];

const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";
const CHAR_W = 0.62; // average advance of DejaVu Sans in em, for layout estimates

export const DEFAULT_PANEL_WIDTH = 460;
export const DEFAULT_PANEL_HEIGHT = 300;

/** One chart of several series (e.g. one tag of several runs). */
export function renderChart(series: readonly ChartSeries[], opts: ChartOptions = {}): RenderedChart {
  return renderChartGrid([{ title: opts.title ?? '', series }], { ...opts, title: undefined, columns: 1 });
}

/** Several charts in a grid with one shared legend. */
export function renderChartGrid(panels: readonly ChartPanel[], opts: GridOptions = {}): RenderedChart {
  const n = Math.max(1, panels.length);
  const columns = Math.max(1, Math.min(n, opts.columns ?? (n === 1 ? 1 : n <= 4 ? 2 : 3)));
  const rows = Math.ceil(n / columns);
  const width = Math.round(opts.width ?? columns * DEFAULT_PANEL_WIDTH);
  if (!(width >= 100)) throw new RangeError(`chart width must be at least 100 pixels: ${opts.width}`);

  // Colours: by first appearance of a name across all panels, unless a series brings its own.
  const colors = new Map<string, string>();
  const explicit = new Map<string, string>();
  for (const p of panels) for (const s of p.series) if (s.color && !explicit.has(s.name)) explicit.set(s.name, s.color);
  for (const name of opts.names ?? []) {
    if (!colors.has(name)) colors.set(name, explicit.get(name) ?? PALETTE[colors.size % PALETTE.length]);
  }
  for (const p of panels) {
    for (const s of p.series) {
      if (!colors.has(s.name)) colors.set(s.name, s.color ?? PALETTE[colors.size % PALETTE.length]);
    }
  }

  const pad = 12;
  let y = pad;
  const parts: string[] = [];
  if (opts.title) {
    parts.push(text(width / 2, y + 14, opts.title, { size: 16, weight: 'bold', anchor: 'middle' }));
    y += 26;
  }
  const legend = layoutLegend([...colors.keys()], width - 2 * pad);
  parts.push(`<g class="legend">`);
  for (const item of legend.items) {
    const lx = pad + item.x;
    const ly = y + item.row * legend.rowHeight + legend.rowHeight / 2;
    const c = colors.get(item.name)!;
    parts.push(
      `<g class="legend-item" data-run="${esc(item.name)}">` +
        `<line x1="${lx}" y1="${ly}" x2="${lx + 18}" y2="${ly}" stroke="${c}" stroke-width="3"/>` +
        text(lx + 24, ly + 4, item.name, { size: 12 }) +
        `</g>`,
    );
  }
  parts.push(`</g>`);
  y += legend.height + 6;

  const panelW = (width - pad) / columns;
  const minPanelH = 120;
  const height = Math.round(opts.height ?? y + rows * DEFAULT_PANEL_HEIGHT + pad);
  const panelH = (height - y - pad) / rows;
  if (!(panelH >= minPanelH / 2)) throw new RangeError(`chart height ${height} is too small for ${rows} row(s) of charts`);

  panels.forEach((p, i) => {
    const px = pad / 2 + (i % columns) * panelW;
    const py = y + Math.floor(i / columns) * panelH;
    parts.push(drawPanel(i, px, py, panelW, panelH, p, colors, opts));
  });

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT}">\n` +
    `<rect width="100%" height="100%" fill="#ffffff"/>\n` +
    parts.join('\n') +
    `\n</svg>\n`;
  return { svg, width, height };
}

interface LegendLayout {
  items: Array<{ name: string; x: number; row: number }>;
  rowHeight: number;
  height: number;
}

function layoutLegend(names: string[], maxWidth: number): LegendLayout {
  const rowHeight = 18;
  const items: LegendLayout['items'] = [];
  let x = 0;
  let row = 0;
  for (const name of names) {
    const w = 24 + textWidth(name, 12) + 18;
    if (x > 0 && x + w > maxWidth) {
      row++;
      x = 0;
    }
    items.push({ name, x, row });
    x += w;
  }
  return { items, rowHeight, height: names.length ? (row + 1) * rowHeight : 0 };
}

interface Prepared {
  name: string;
  color: string;
  raw: ChartPoint[];
  smooth?: ChartPoint[];
}

function drawPanel(
  index: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  panel: ChartPanel,
  colors: Map<string, string>,
  opts: ChartOptions,
): string {
  const logY = !!opts.logY;
  const logX = !!opts.logX;
  const smoothing = opts.smoothing ?? 0;
  const prepared: Prepared[] = panel.series.map((s) => {
    const raw = [...s.points].sort((a, b) => a.step - b.step);
    const p: Prepared = { name: s.name, color: colors.get(s.name)!, raw };
    if (smoothing > 0) {
      const sm = smoothTensorBoard(raw.map((q) => q.value), smoothing);
      p.smooth = raw.map((q, i) => ({ step: q.step, value: sm[i] }));
    }
    return p;
  });

  // Domains from the drawable points (finite, and > 0 on a log axis).
  const usable = (v: number) => Number.isFinite(v) && (!logY || v > 0);
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const pts of [...prepared.flatMap((s) => [s.raw, s.smooth ?? []]), ...(panel.layers ?? []).map((l) => l.extent)]) {
    for (const q of pts) {
      if (!usable(q.value) || !Number.isFinite(q.step) || (logX && q.step <= 0)) continue;
      if (q.step < xmin) xmin = q.step;
      if (q.step > xmax) xmax = q.step;
      if (q.value < ymin) ymin = q.value;
      if (q.value > ymax) ymax = q.value;
    }
  }
  const empty = !(xmin <= xmax);
  if (empty) { xmin = 0; xmax = 1; ymin = logY ? 1 : 0; ymax = logY ? 10 : 1; }
  if (xmin === xmax) { if (logX) { xmin /= 10; xmax *= 10; } else { xmin -= 1; xmax += 1; } }
  if (logX) { const padX = Math.log10(xmax / xmin) * 0.05; xmin /= 10 ** padX; xmax *= 10 ** padX; } // room for marks at the ends
  if (ymin === ymax) {
    if (logY) { ymin /= 10; ymax *= 10; }
    else { const d = ymin === 0 ? 1 : Math.abs(ymin) * 0.1; ymin -= d; ymax += d; }
  }

  const titleH = 24;
  const yTickCount = Math.max(2, Math.round(h / 60));
  let yTicks: number[];
  let yLabels: string[];
  let ylo: number, yhi: number;
  if (logY) {
    const pad = (Math.log10(ymax) - Math.log10(ymin)) * 0.05;
    ylo = Math.log10(ymin) - pad;
    yhi = Math.log10(ymax) + pad;
    yTicks = logTicks(Math.pow(10, ylo), Math.pow(10, yhi), yTickCount);
    yLabels = yTicks.map(formatLogTick);
    yTicks = yTicks.map((t) => Math.log10(t));
  } else {
    [ylo, yhi] = niceDomain(ymin, ymax, yTickCount);
    const t = niceTicks(ylo, yhi, yTickCount);
    yTicks = t.ticks;
    yLabels = formatTicks(yTicks, t.step);
  }
  const yLabelW = Math.max(...yLabels.map((l) => textWidth(l, 11)), 10);
  const left = 8 + 16 + 6 + yLabelW + 6;
  const right = 24;
  const top = titleH + 6;
  const bottom = 8 + 16 + 6 + 14;
  const pw = Math.max(10, w - left - right);
  const ph = Math.max(10, h - top - bottom);
  const px = x0 + left;
  const py = y0 + top;

  const xTickCount = Math.max(2, Math.round(pw / 80));
  const xt = niceTicks(xmin, xmax, xTickCount, Number.isInteger(xmin) && Number.isInteger(xmax) ? 1 : 0); // steps are integers
  const xTicks = logX ? logTicks(xmin, xmax, xTickCount) : xt.ticks;
  const xLabels = logX ? xTicks.map(formatLogTick) : formatTicks(xTicks, xt.step);

  const fx = (v: number) => (logX ? Math.log10(v) : v);
  const sx = (v: number) => px + ((fx(v) - fx(xmin)) / (fx(xmax) - fx(xmin))) * pw;
  const sy = (v: number) => py + ph - (((logY ? Math.log10(v) : v) - ylo) / (yhi - ylo)) * ph;

  const out: string[] = [];
  out.push(
    `<g class="panel" data-index="${index}" data-title="${esc(panel.title)}" ` +
      `data-plot="${r(px)} ${r(py)} ${r(pw)} ${r(ph)}" data-x-domain="${xmin} ${xmax}" ` +
      `data-y-domain="${cleanFloat(ylo)} ${cleanFloat(yhi)}" data-log-y="${logY ? 1 : 0}"${logX ? ' data-log-x="1"' : ''}>`,
  );
  out.push(`<clipPath id="clip${index}"><rect x="${r(px - 3)}" y="${r(py - 3)}" width="${r(pw + 6)}" height="${r(ph + 6)}"/></clipPath>`); // room for the stroke at the domain edges
  out.push(text(px + pw / 2, y0 + 17, truncate(panel.title, pw + left - 8, 14), { size: 14, weight: 'bold', anchor: 'middle', cls: 'title' }));

  // Grid and ticks.
  out.push(`<g class="grid" stroke="#e6e6e6" stroke-width="1">`);
  for (const t of xTicks) out.push(`<line x1="${r(sx(t))}" y1="${r(py)}" x2="${r(sx(t))}" y2="${r(py + ph)}"/>`);
  for (const t of yTicks) {
    const yy = py + ph - ((t - ylo) / (yhi - ylo)) * ph;
    out.push(`<line x1="${r(px)}" y1="${r(yy)}" x2="${r(px + pw)}" y2="${r(yy)}"/>`);
  }
  out.push(`</g>`);
  out.push(`<g class="axis" stroke="#666666" stroke-width="1" fill="none">`);
  out.push(`<line x1="${r(px)}" y1="${r(py + ph)}" x2="${r(px + pw)}" y2="${r(py + ph)}"/>`);
  out.push(`<line x1="${r(px)}" y1="${r(py)}" x2="${r(px)}" y2="${r(py + ph)}"/>`);
  for (const t of xTicks) out.push(`<line x1="${r(sx(t))}" y1="${r(py + ph)}" x2="${r(sx(t))}" y2="${r(py + ph + 4)}"/>`);
  for (const t of yTicks) {
    const yy = py + ph - ((t - ylo) / (yhi - ylo)) * ph;
    out.push(`<line x1="${r(px - 4)}" y1="${r(yy)}" x2="${r(px)}" y2="${r(yy)}"/>`);
  }
  out.push(`</g>`);
  out.push(`<g class="x-ticks">`);
  xTicks.forEach((t, i) => out.push(text(sx(t), py + ph + 16, xLabels[i], { size: 11, anchor: 'middle', fill: '#444444' })));
  out.push(`</g><g class="y-ticks">`);
  yTicks.forEach((t, i) => {
    const yy = py + ph - ((t - ylo) / (yhi - ylo)) * ph;
    out.push(text(px - 7, yy + 4, yLabels[i], { size: 11, anchor: 'end', fill: '#444444' }));
  });
  out.push(`</g>`);
  out.push(text(px + pw / 2, py + ph + 34, (opts.xLabel ?? 'step') + (logX ? ' (log)' : ''), { size: 12, anchor: 'middle', cls: 'x-label' }));
  const ylx = x0 + 8 + 12;
  const yly = py + ph / 2;
  out.push(text(ylx, yly, (opts.yLabel ?? 'value') + (logY ? ' (log)' : ''), { size: 12, anchor: 'middle', cls: 'y-label', rotate: -90 }));

  if (empty) out.push(text(px + pw / 2, py + ph / 2, 'no data', { size: 12, anchor: 'middle', fill: '#999999' }));

  if (panel.layers?.length) {
    const scales: PanelScales = { sx, sy, usable, plotWidth: pw };
    out.push(`<g class="layers" clip-path="url(#clip${index})">`, ...panel.layers.flatMap((l) => l.draw(scales)), `</g>`);
  }
  // Series: raw (faded when smoothing), then the solid line.
  out.push(`<g class="series-group" clip-path="url(#clip${index})" fill="none" stroke-linejoin="round" stroke-linecap="round">`);
  for (const s of prepared) {
    const run = esc(s.name);
    const tag = esc(panel.title);
    if (s.smooth) {
      out.push(`<path class="series-raw" data-run="${run}" data-tag="${tag}" stroke="${s.color}" stroke-opacity="0.3" stroke-width="1.5" d="${pathData(s.raw, sx, sy, usable, pw)}"/>`);
    }
    const main = s.smooth ?? s.raw;
    out.push(`<path class="series" data-run="${run}" data-tag="${tag}" stroke="${s.color}" stroke-width="2" d="${pathData(main, sx, sy, usable, pw)}"/>`);
    const finite = main.filter((q) => usable(q.value));
    if (finite.length === 1) {
      out.push(`<circle class="marker" data-run="${run}" cx="${r(sx(finite[0].step))}" cy="${r(sy(finite[0].value))}" r="3" fill="${s.color}"/>`);
    }
  }
  out.push(`</g>`);
  out.push(`</g>`);
  return out.join('\n');
}

/**
 * SVG path data. Unusable values (NaN, ±Inf, ≤0 on a log axis) break the line. Long series are
 * decimated per pixel column (first, min, max, last of each column), which keeps the drawn envelope
 * exact while bounding the path to a few points per pixel.
 */
export function pathData(
  pts: readonly ChartPoint[],
  sx: (v: number) => number,
  sy: (v: number) => number,
  usable: (v: number) => boolean,
  plotWidth: number,
): string {
  const parts: string[] = [];
  let pen = false;
  const emit = (q: ChartPoint) => {
    parts.push(`${pen ? 'L' : 'M'}${r(sx(q.step))},${r(sy(q.value))}`);
    pen = true;
  };
  if (pts.length <= 4 * plotWidth) {
    for (const q of pts) {
      if (!usable(q.value)) { pen = false; continue; }
      emit(q);
    }
    return parts.join('');
  }
  let col = NaN;
  let bucket: ChartPoint[] = [];
  const flush = () => {
    if (!bucket.length) return;
    let lo = bucket[0], hi = bucket[0];
    for (const q of bucket) { if (q.value < lo.value) lo = q; if (q.value > hi.value) hi = q; }
    const keep = new Set([bucket[0], lo, hi, bucket[bucket.length - 1]]);
    for (const q of bucket) if (keep.has(q)) emit(q);
    bucket = [];
  };
  for (const q of pts) {
    if (!usable(q.value)) { flush(); pen = false; col = NaN; continue; }
    const c = Math.floor(sx(q.step));
    if (c !== col) { flush(); col = c; }
    bucket.push(q);
  }
  flush();
  return parts.join('');
}

export function r(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 1.0 : /[il.,:;'|!]/.test(ch) ? 0.3 : /[mwMW@]/.test(ch) ? 0.9 : CHAR_W;
  return w * size;
}

function truncate(s: string, maxW: number, size: number): string {
  if (textWidth(s, size) <= maxW) return s;
  let t = s;
  while (t.length > 1 && textWidth(t + '…', size) > maxW) t = t.slice(0, -1);
  return t + '…';
}

function text(
  x: number,
  y: number,
  s: string,
  o: { size: number; anchor?: 'start' | 'middle' | 'end'; weight?: string; fill?: string; cls?: string; rotate?: number },
): string {
  const attrs = [
    o.cls ? `class="${o.cls}"` : '',
    `x="${r(x)}"`,
    `y="${r(y)}"`,
    `font-size="${o.size}"`,
    o.anchor && o.anchor !== 'start' ? `text-anchor="${o.anchor}"` : '',
    o.weight ? `font-weight="${o.weight}"` : '',
    `fill="${o.fill ?? '#222222'}"`,
    o.rotate ? `transform="rotate(${o.rotate} ${r(x)} ${r(y)})"` : '',
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${esc(s)}</text>`;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
