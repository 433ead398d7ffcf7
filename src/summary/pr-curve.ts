/**
 * Precision–recall curves, computed like TensorBoard's `pr_curve.summary.pb`
 * (tensorboard/plugins/pr_curve/summary.py):
 *
 *   bucket   = floor(prediction · (N − 1))                (int32)
 *   tp/fp    = np.histogram(bucket, bins=N, range=(0, N−1), weights=label·w / (1−label)·w)
 *   TP, FP   = reverse cumulative sums;  TN = FP[0] − FP;  FN = TP[0] − TP
 *   precision = TP / max(1e-7, TP + FP);  recall = TP / max(1e-7, TP + FN)
 *
 * Output: DT_FLOAT `[6, N]` (rows TP, FP, TN, FN, precision, recall), plugin `pr_curves` with
 * `PrCurvePluginData{num_thresholds: N}`; threshold i is i / (N − 1).
 */
import { DataClass, pushVarint } from '../proto';
import { isPromiseLike } from '../util';
import { floatTensorObject } from './metadata';
import { resolveArray, type ArrayValue, type ResolvedArray } from './values';
import { argError, checkPositiveInt, type Step } from './validate';
import type { ValueOptions, WriterContext } from './writer-context';

const DEFAULT_NUM_THRESHOLDS = 201;
const MINIMUM_COUNT = 1e-7;
const PLUGIN = 'pr_curves';

export interface PrCurveOptions extends ValueOptions {
  /** Number of thresholds (i / (N − 1)); default 201 (TensorBoard's). */
  numThresholds?: number;
  /** A weight per example, or one weight for all; default 1. */
  weights?: number | ArrayLike<number>;
}

/** SummaryWriter.prCurve(). */
export function writePrCurve(ctx: WriterContext, tag: string, labels: readonly boolean[] | ArrayLike<number>, predictions: ArrayValue, step: Step, opts: PrCurveOptions): void {
  const method = 'SummaryWriter.prCurve';
  const wallTime = ctx.begin('prCurve', tag, step, opts);
  const n = opts.numThresholds === undefined ? DEFAULT_NUM_THRESHOLDS : checkPositiveInt(method, opts.numThresholds, 'options.numThresholds', 1_000_000);
  if (n < 2) throw argError(method, 'options.numThresholds', 'an integer ≥ 2', n);
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) throw argError(method, 'labels', 'a boolean[] or Uint8Array of 0/1', labels);
  const weights = opts.weights ?? 1;
  const input = resolveArray(method, 'predictions', predictions);
  const compute = (r: ResolvedArray): Float64Array => computePrCurve(method, labels as ArrayLike<unknown>, r.values, n, weights);
  const data = isPromiseLike(input) ? Promise.resolve(input).then(compute) : compute(input);
  ctx.emitValue(tag, step, wallTime, ctx.spec(PLUGIN, DataClass.TENSOR, opts, prCurveContent(n)), data, (d) => ({ tensor: floatTensorObject('float32', [6, n], d) }));
}

/** Bin of np.histogram(bins=n, range=(lo, hi)) for a value inside the range (numpy's rounding fix-ups included). */
function histogramBin(x: number, n: number, lo: number, hi: number, edges: Float64Array): number {
  const norm = n / (hi - lo);
  let i = Math.floor((x - lo) * norm);
  if (i === n) i--;
  if (x < edges[i]) i--;
  else if (x >= edges[i + 1] && i !== n - 1) i++;
  return i;
}

/** Returns the [6, N] data row-major (float64; written as float32). */
export function computePrCurve(
  method: string,
  labels: ArrayLike<unknown>,
  predictions: ArrayLike<number>,
  numThresholds: number,
  weights: number | ArrayLike<number> = 1,
): Float64Array {
  const n = predictions.length;
  if (labels.length !== n) throw argError(method, 'labels', `an array as long as predictions (${n})`, `${labels.length} labels`);
  if (n === 0) throw argError(method, 'predictions', 'a non-empty array of numbers in [0, 1]', predictions);
  if (typeof weights !== 'number' && weights.length !== n) throw argError(method, 'options.weights', `a number or an array as long as predictions (${n})`, `${weights.length} weights`);
  const N = numThresholds;
  const hi = N - 1;
  // np.linspace(0, N-1, N+1)
  const edges = new Float64Array(N + 1);
  const step = hi / N;
  for (let j = 0; j <= N; j++) edges[j] = j * step;
  edges[N] = hi;
  const tpB = new Float64Array(N);
  const fpB = new Float64Array(N);
  for (let i = 0; i < n; i++) {
    const p = predictions[i];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw argError(method, `predictions[${i}]`, 'a number in [0, 1]', p);
    const lab = labels[i];
    let l: number;
    if (lab === true || lab === 1) l = 1;
    else if (lab === false || lab === 0) l = 0;
    else throw argError(method, `labels[${i}]`, 'a boolean (or 0/1)', lab);
    const w = typeof weights === 'number' ? weights : weights[i];
    const bucket = Math.floor(p * hi) | 0;
    const bin = histogramBin(bucket, N, 0, hi, edges);
    tpB[bin] += l * w;
    fpB[bin] += (1 - l) * w;
  }
  const out = new Float64Array(6 * N);
  let tpAcc = 0;
  let fpAcc = 0;
  for (let j = N - 1; j >= 0; j--) {
    tpAcc += tpB[j];
    fpAcc += fpB[j];
    out[j] = tpAcc;
    out[N + j] = fpAcc;
  }
  const tp0 = out[0];
  const fp0 = out[N];
  for (let j = 0; j < N; j++) {
    const tp = out[j];
    const fp = out[N + j];
    const tn = fp0 - fp;
    const fn = tp0 - tp;
    out[2 * N + j] = tn;
    out[3 * N + j] = fn;
    out[4 * N + j] = tp / Math.max(MINIMUM_COUNT, tp + fp);
    out[5 * N + j] = tp / Math.max(MINIMUM_COUNT, tp + fn);
  }
  return out;
}

/** Serialized PrCurvePluginData{version: 0, num_thresholds: n}. */
function prCurveContent(n: number): Uint8Array {
  const out = [0x10];
  pushVarint(out, n);
  return new Uint8Array(out);
}
