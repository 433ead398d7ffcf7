/**
 * A panel's series: sorted by step, optionally smoothed like TensorBoard, drawn as one path each
 * (the raw series faded behind the smoothed one).
 */
import { smoothTensorBoard } from './smoothing';
import { esc, r } from './svg';
import type { ChartPoint, ChartSeries, PanelScales as Scales } from './types';

interface PreparedSeries {
  name: string;
  color: string;
  raw: ChartPoint[];
  smooth?: ChartPoint[];
}

export function prepareSeries(series: readonly ChartSeries[], colors: ReadonlyMap<string, string>, smoothing: number): PreparedSeries[] {
  return series.map((s) => {
    const raw = [...s.points].sort((a, b) => a.step - b.step);
    const p: PreparedSeries = { name: s.name, color: colors.get(s.name)!, raw };
    if (smoothing > 0) {
      const sm = smoothTensorBoard(raw.map((q) => q.value), smoothing);
      p.smooth = raw.map((q, i) => ({ step: q.step, value: sm[i] }));
    }
    return p;
  });
}

/** The series group of panel `index` (clipped to the plot by `clip<index>`): raw (faded when smoothing), then the solid line. */
export function drawSeries(index: number, tag: string, prepared: readonly PreparedSeries[], scales: Scales): string[] {
  const { sx, sy, usable } = scales;
  const out = [`<g class="series-group" clip-path="url(#clip${index})" fill="none" stroke-linejoin="round" stroke-linecap="round">`];
  const t = esc(tag);
  for (const s of prepared) {
    const run = esc(s.name);
    if (s.smooth) {
      out.push(`<path class="series-raw" data-run="${run}" data-tag="${t}" stroke="${s.color}" stroke-opacity="0.3" stroke-width="1.5" d="${pathData(s.raw, scales)}"/>`);
    }
    const main = s.smooth ?? s.raw;
    out.push(`<path class="series" data-run="${run}" data-tag="${t}" stroke="${s.color}" stroke-width="2" d="${pathData(main, scales)}"/>`);
    const finite = main.filter((q) => usable(q.value));
    if (finite.length === 1) {
      out.push(`<circle class="marker" data-run="${run}" cx="${r(sx(finite[0].step))}" cy="${r(sy(finite[0].value))}" r="3" fill="${s.color}"/>`);
    }
  }
  out.push(`</g>`);
  return out;
}

/**
 * SVG path data. Unusable values (NaN, ±Inf, ≤0 on a log axis) break the line. Long series are
 * decimated per pixel column (first, min, max, last of each column), which keeps the drawn envelope
 * exact while bounding the path to a few points per pixel.
 */
export function pathData(pts: readonly ChartPoint[], { sx, sy, usable, plotWidth }: Scales): string {
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
