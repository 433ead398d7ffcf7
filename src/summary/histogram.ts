/**
 * Histograms, computed exactly like TensorBoard's `histogram_pb`
 * (tensorboard/plugins/histogram/summary_v2.py):
 *
 * - `bucket_count` buckets of equal width over [min, max]; a value's bucket is
 *   `min(floor((x - min) / width), bucket_count - 1)`; edges are numpy's
 *   `linspace(min, max, bucket_count + 1)` (`i * width + min`, last edge exactly `max`).
 * - All values equal: `bucket_count` buckets whose edges are all `min`; only the last counts.
 * - Output: DT_DOUBLE tensor `[k, 3]` of (left, right, count), plugin `histograms`.
 *
 * tbkit decisions: no values is an error (TensorBoard writes an all-zero tensor, which shows as
 * nothing); NaN and ±Infinity cannot be placed in a bucket and are skipped (counted in the
 * returned `nonFinite`); if every value is non-finite, that is an error.
 */
import { DataClass } from '../proto';
import { isPromiseLike } from '../util';
import { encodeSummaryEvent, floatTensorObject } from './metadata';
import { resolveArray, type ArrayValue, type ResolvedArray } from './values';
import { argError, checkPositiveInt, type Step } from './validate';
import type { ValueOptions, WriterContext } from './writer-context';

const DEFAULT_BUCKETS = 30;
const PLUGIN = 'histograms';

export interface HistogramOptions extends ValueOptions {
  /** Number of buckets; default 30 (TensorBoard's). */
  bins?: number;
}

/** SummaryWriter.histogram(). */
export function writeHistogram(ctx: WriterContext, tag: string, values: ArrayValue, step: Step, opts: HistogramOptions): void {
  const method = 'SummaryWriter.histogram';
  const wallTime = ctx.begin('histogram', tag, step, opts);
  const bins = opts.bins === undefined ? DEFAULT_BUCKETS : checkPositiveInt(method, opts.bins, 'options.bins', 1_000_000);
  const input = resolveArray(method, 'values', values);
  // Synchronous input: bucket now (errors surface at the call, the caller may reuse its array).
  const buckets = isPromiseLike(input)
    ? Promise.resolve(input).then((r: ResolvedArray) => computeBuckets(method, 'values', r.values, bins))
    : computeBuckets(method, 'values', input.values, bins);
  ctx.emitValue(tag, step, wallTime, ctx.spec(PLUGIN, DataClass.TENSOR, opts), buckets, bucketsTensor);
}

/** SummaryWriter.histogramBuckets(). */
export function writeHistogramBuckets(ctx: WriterContext, tag: string, buckets: readonly (readonly number[])[] | Float64Array, step: Step, opts: ValueOptions): void {
  const wallTime = ctx.begin('histogramBuckets', tag, step, opts);
  const b = bucketsFromRows('SummaryWriter.histogramBuckets', 'buckets', buckets);
  ctx.emitValue(tag, step, wallTime, ctx.spec(PLUGIN, DataClass.TENSOR, opts), b, bucketsTensor);
}

/** SummaryWriter.histogramRaw(): a legacy `HistogramProto`, no metadata (TensorBoard migrates it). */
export function writeHistogramRaw(ctx: WriterContext, tag: string, raw: RawHistogram, step: Step, opts: { wallTime?: number }): void {
  const wallTime = ctx.begin('histogramRaw', tag, step, opts);
  const histo = histoObject('SummaryWriter.histogramRaw', raw);
  ctx.queue.run([tag], histo, (h) => ctx.eventWriter.writeEventBytes(encodeSummaryEvent(wallTime, step, [{ tag, histo: h }])));
}

/** The DT_DOUBLE `[k, 3]` tensor of (left, right, count) rows. */
function bucketsTensor(b: { data: Float64Array; k: number }): Record<string, unknown> {
  return { tensor: floatTensorObject('float64', [b.k, 3], b.data) };
}

interface HistogramBuckets {
  /** Row-major `[k, 3]`: left, right, count. */
  data: Float64Array;
  k: number;
  /** NaN/±Inf values that were skipped. */
  nonFinite: number;
}

/** Buckets `values` like TensorBoard's `histogram_pb`. Two passes: min/max, then counts. */
export function computeBuckets(method: string, argument: string, values: ArrayLike<number>, bucketCount = DEFAULT_BUCKETS): HistogramBuckets {
  const n = values.length;
  if (n === 0) throw argError(method, argument, 'a non-empty array of numbers (a histogram of no values shows nothing)', values);
  let min = Infinity;
  let max = -Infinity;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x - x === 0) {
      // finite
      if (x < min) min = x;
      if (x > max) max = x;
      finite++;
    }
  }
  if (finite === 0) throw argError(method, argument, 'an array with at least one finite number (NaN and ±Infinity are skipped)', `${n} non-finite values`);
  const out = new Float64Array(bucketCount * 3);
  const range = max - min;
  if (range === 0) {
    for (let b = 0; b < bucketCount; b++) {
      out[b * 3] = min;
      out[b * 3 + 1] = min;
    }
    out[(bucketCount - 1) * 3 + 2] = finite;
    return { data: out, k: bucketCount, nonFinite: n - finite };
  }
  const width = range / bucketCount;
  const counts = new Float64Array(bucketCount);
  const last = bucketCount - 1;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x - x !== 0) continue;
    let b = Math.floor((x - min) / width);
    if (b > last) b = last;
    counts[b]++;
  }
  for (let b = 0; b < bucketCount; b++) {
    out[b * 3] = b * width + min;
    out[b * 3 + 1] = b === last ? max : (b + 1) * width + min;
    out[b * 3 + 2] = counts[b];
  }
  return { data: out, k: bucketCount, nonFinite: n - finite };
}

/** Validates pre-computed buckets `[[left, right, count], ...]` (or a flat array of 3k numbers). */
function bucketsFromRows(method: string, argument: string, rows: unknown): { data: Float64Array; k: number } {
  if (ArrayBuffer.isView(rows) && !(rows instanceof DataView)) {
    const flat = rows as unknown as ArrayLike<number>;
    if (flat.length === 0 || flat.length % 3 !== 0) throw argError(method, argument, 'a flat typed array of 3·k numbers (left, right, count per bucket)', rows);
    return { data: Float64Array.from(flat), k: flat.length / 3 };
  }
  if (!Array.isArray(rows) || rows.length === 0) throw argError(method, argument, 'a non-empty array of [left, right, count] rows', rows);
  const data = new Float64Array(rows.length * 3);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== 3 || row.some((x) => typeof x !== 'number')) {
      throw argError(method, `${argument}[${i}]`, 'a [left, right, count] row of 3 numbers', row);
    }
    data.set(row as number[], i * 3);
  });
  return { data, k: rows.length };
}

/** Legacy HistogramProto input (tensorboardX `add_histogram_raw`). */
export interface RawHistogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edges of the buckets. */
  bucketLimits: ArrayLike<number>;
  bucketCounts: ArrayLike<number>;
}

function histoObject(method: string, raw: RawHistogram): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object') throw argError(method, 'histogram', 'an object { min, max, num, sum, sumSquares, bucketLimits, bucketCounts }', raw);
  for (const k of ['min', 'max', 'num', 'sum', 'sumSquares'] as const) {
    if (typeof raw[k] !== 'number') throw argError(method, `histogram.${k}`, 'a number', raw[k]);
  }
  const limits = Array.from(raw.bucketLimits ?? []);
  const counts = Array.from(raw.bucketCounts ?? []);
  if (limits.length === 0 || limits.length !== counts.length) {
    throw argError(method, 'histogram.bucketCounts', `an array as long as histogram.bucketLimits (${limits.length}, non-empty)`, raw.bucketCounts);
  }
  const h: Record<string, unknown> = {
    min: raw.min, max: raw.max, num: raw.num, sum: raw.sum, sum_squares: raw.sumSquares,
    bucket_limit: limits, bucket: counts,
  };
  return h;
}
