/** A panel's axes: the data domain, ticks and their labels, grid lines, axis lines and titles. */
import { formatLogTick, formatTicks, logTicks, niceDomain, niceTicks } from './ticks';
import { r, text } from './svg';
import type { ChartPoint } from './types';

interface Domain {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  /** No drawable point: a placeholder domain. */
  empty: boolean;
}

/** The domain of the drawable points (`usable` values, finite steps), widened where it is a single value. */
export function dataDomain(lists: readonly (readonly ChartPoint[])[], usable: (v: number) => boolean, logY: boolean, logX = false): Domain {
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const pts of lists) {
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
  return { xmin, xmax, ymin, ymax, empty };
}

/** The value axis in axis units (log10 of the value on a log axis): its range, ticks and labels. */
interface ValueAxis {
  lo: number;
  hi: number;
  ticks: number[];
  labels: string[];
}

export function valueAxis(ymin: number, ymax: number, logY: boolean, count: number): ValueAxis {
  if (logY) {
    const pad = (Math.log10(ymax) - Math.log10(ymin)) * 0.05;
    const lo = Math.log10(ymin) - pad;
    const hi = Math.log10(ymax) + pad;
    const ticks = logTicks(Math.pow(10, lo), Math.pow(10, hi), count);
    return { lo, hi, labels: ticks.map(formatLogTick), ticks: ticks.map((t) => Math.log10(t)) };
  }
  const [lo, hi] = niceDomain(ymin, ymax, count);
  const t = niceTicks(lo, hi, count);
  return { lo, hi, ticks: t.ticks, labels: formatTicks(t.ticks, t.step) };
}

/** Step ticks: integers when the domain's ends are (steps are integers); decades on a log axis. */
export function stepTicks(xmin: number, xmax: number, count: number, logX = false): { ticks: number[]; labels: string[] } {
  if (logX) {
    const ticks = logTicks(xmin, xmax, count);
    return { ticks, labels: ticks.map(formatLogTick) };
  }
  const xt = niceTicks(xmin, xmax, count, Number.isInteger(xmin) && Number.isInteger(xmax) ? 1 : 0);
  return { ticks: xt.ticks, labels: formatTicks(xt.ticks, xt.step) };
}

interface PlotRect {
  px: number;
  py: number;
  pw: number;
  ph: number;
}

interface AxisTitles {
  xLabel?: string;
  yLabel?: string;
  logY: boolean;
  logX?: boolean;
}

/** Grid lines, axis lines with tick marks, tick labels and axis titles of a panel whose left edge is `x0`. */
export function drawAxes(
  x0: number,
  { px, py, pw, ph }: PlotRect,
  sx: (v: number) => number,
  x: { ticks: number[]; labels: string[] },
  y: ValueAxis,
  titles: AxisTitles,
): string[] {
  const yPos = (t: number) => py + ph - ((t - y.lo) / (y.hi - y.lo)) * ph;
  const out: string[] = [];
  out.push(`<g class="grid" stroke="#e6e6e6" stroke-width="1">`);
  for (const t of x.ticks) out.push(`<line x1="${r(sx(t))}" y1="${r(py)}" x2="${r(sx(t))}" y2="${r(py + ph)}"/>`);
  for (const t of y.ticks) out.push(`<line x1="${r(px)}" y1="${r(yPos(t))}" x2="${r(px + pw)}" y2="${r(yPos(t))}"/>`);
  out.push(`</g>`);
  out.push(`<g class="axis" stroke="#666666" stroke-width="1" fill="none">`);
  out.push(`<line x1="${r(px)}" y1="${r(py + ph)}" x2="${r(px + pw)}" y2="${r(py + ph)}"/>`);
  out.push(`<line x1="${r(px)}" y1="${r(py)}" x2="${r(px)}" y2="${r(py + ph)}"/>`);
  for (const t of x.ticks) out.push(`<line x1="${r(sx(t))}" y1="${r(py + ph)}" x2="${r(sx(t))}" y2="${r(py + ph + 4)}"/>`);
  for (const t of y.ticks) out.push(`<line x1="${r(px - 4)}" y1="${r(yPos(t))}" x2="${r(px)}" y2="${r(yPos(t))}"/>`);
  out.push(`</g>`);
  out.push(`<g class="x-ticks">`);
  x.ticks.forEach((t, i) => out.push(text(sx(t), py + ph + 16, x.labels[i], { size: 11, anchor: 'middle', fill: '#444444' })));
  out.push(`</g><g class="y-ticks">`);
  y.ticks.forEach((t, i) => out.push(text(px - 7, yPos(t) + 4, y.labels[i], { size: 11, anchor: 'end', fill: '#444444' })));
  out.push(`</g>`);
  out.push(text(px + pw / 2, py + ph + 34, (titles.xLabel ?? 'step') + (titles.logX ? ' (log)' : ''), { size: 12, anchor: 'middle', cls: 'x-label' }));
  out.push(text(x0 + 8 + 12, py + ph / 2, (titles.yLabel ?? 'value') + (titles.logY ? ' (log)' : ''), { size: 12, anchor: 'middle', cls: 'y-label', rotate: -90 }));
  return out;
}
