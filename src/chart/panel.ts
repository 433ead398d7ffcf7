/**
 * One panel of the grid: its title, axes and series. The panel's `<g>` carries its plot rectangle
 * and domains as `data-*` attributes, so that a path's coordinates map back to the data.
 */
import { dataDomain, drawAxes, stepTicks, valueAxis } from './axes';
import { drawSeries, prepareSeries } from './series';
import { esc, r, text, textWidth, truncate } from './svg';
import { cleanFloat } from './ticks';
import type { ChartOptions, ChartPanel } from './types';

export function drawPanel(
  index: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  panel: ChartPanel,
  colors: ReadonlyMap<string, string>,
  opts: ChartOptions,
): string {
  const logY = !!opts.logY;
  const logX = !!opts.logX;
  const prepared = prepareSeries(panel.series, colors, opts.smoothing ?? 0);
  const usable = (v: number) => Number.isFinite(v) && (!logY || v > 0);
  const extents = [...prepared.flatMap((s) => [s.raw, s.smooth ?? []]), ...(panel.layers ?? []).map((l) => l.extent)];
  const { xmin, xmax, ymin, ymax, empty } = dataDomain(extents, usable, logY, logX);

  const y = valueAxis(ymin, ymax, logY, Math.max(2, Math.round(h / 60)));
  const titleH = 24;
  const yLabelW = Math.max(...y.labels.map((l) => textWidth(l, 11)), 10);
  const left = 8 + 16 + 6 + yLabelW + 6;
  const right = 24;
  const top = titleH + 6;
  const bottom = 8 + 16 + 6 + 14;
  const pw = Math.max(10, w - left - right);
  const ph = Math.max(10, h - top - bottom);
  const px = x0 + left;
  const py = y0 + top;
  const x = stepTicks(xmin, xmax, Math.max(2, Math.round(pw / 80)), logX);

  const fx = (v: number) => (logX ? Math.log10(v) : v);
  const sx = (v: number) => px + ((fx(v) - fx(xmin)) / (fx(xmax) - fx(xmin))) * pw;
  const sy = (v: number) => py + ph - (((logY ? Math.log10(v) : v) - y.lo) / (y.hi - y.lo)) * ph;

  const out: string[] = [];
  out.push(
    `<g class="panel" data-index="${index}" data-title="${esc(panel.title)}" ` +
      `data-plot="${r(px)} ${r(py)} ${r(pw)} ${r(ph)}" data-x-domain="${xmin} ${xmax}" ` +
      `data-y-domain="${cleanFloat(y.lo)} ${cleanFloat(y.hi)}" data-log-y="${logY ? 1 : 0}"${logX ? ' data-log-x="1"' : ''}>`,
  );
  out.push(`<clipPath id="clip${index}"><rect x="${r(px - 3)}" y="${r(py - 3)}" width="${r(pw + 6)}" height="${r(ph + 6)}"/></clipPath>`); // room for the stroke at the domain edges
  out.push(text(px + pw / 2, y0 + 17, truncate(panel.title, pw + left - 8, 14), { size: 14, weight: 'bold', anchor: 'middle', cls: 'title' }));
  out.push(...drawAxes(x0, { px, py, pw, ph }, sx, x, y, { xLabel: opts.xLabel, yLabel: opts.yLabel, logY, logX }));
  if (empty) out.push(text(px + pw / 2, py + ph / 2, 'no data', { size: 12, anchor: 'middle', fill: '#999999' }));
  const scales = { sx, sy, usable, plotWidth: pw };
  if (panel.layers?.length) {
    out.push(`<g class="layers" clip-path="url(#clip${index})">`, ...panel.layers.flatMap((l) => l.draw(scales)), `</g>`);
  }
  out.push(...drawSeries(index, panel.title, prepared, scales));
  out.push(`</g>`);
  return out.join('\n');
}
