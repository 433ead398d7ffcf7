/**
 * Line charts of scalar series as standalone SVG (rendered to PNG by `./png`).
 *
 * The SVG is written by hand rather than through vega-lite: vega 6 is ESM-only (awkward from this
 * CommonJS build), loads a large dependency graph for every CLI call, and measures text through a
 * canvas we do not have; a line chart needs only scales, nice ticks and paths, which are small,
 * deterministic and easy to test (every series is one `<path class="series">` whose coordinates map
 * back to the data through the `data-*` attributes on its panel).
 *
 * Layout: an optional title, one shared legend (./legend.ts), then a grid of panels (./panel.ts),
 * each with a title, step (x) and value (y) axes (./axes.ts) and its series (./series.ts).
 */
import { drawLegend, seriesColors } from './legend';
import { drawPanel } from './panel';
import { FONT, text } from './svg';
import type { ChartOptions, ChartPanel, ChartSeries, GridOptions, RenderedChart } from './types';

const DEFAULT_PANEL_WIDTH = 460;
const DEFAULT_PANEL_HEIGHT = 300;

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

  const colors = seriesColors(panels, opts.names ?? []);
  const pad = 12;
  let y = pad;
  const parts: string[] = [];
  if (opts.title) {
    parts.push(text(width / 2, y + 14, opts.title, { size: 16, weight: 'bold', anchor: 'middle' }));
    y += 26;
  }
  const legend = drawLegend(colors, pad, y, width - 2 * pad);
  parts.push(...legend.parts);
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
