/**
 * The statistics of a group of runs: mean, sample standard deviation, Student-t interval of a
 * mean, and Welch's interval of a difference of two means.
 *
 * Why Student t and not a bootstrap: groups are a handful of seeds (3, 5), where a bootstrap's
 * resamples take only a few distinct values and its intervals come out too narrow; the t interval
 * is exact for normal data and the usual choice at this size. It needs n ≥ 2: a group of one has no
 * spread, so it gets no interval (undefined), never a made-up one.
 *
 * Non-finite values (NaN, ±Infinity: a run that diverged) never enter a statistic: they are counted
 * in `nonFinite`, so that a caller can say "3 runs, 1 of them NaN" instead of averaging NaN away
 * silently or letting one NaN turn every number into NaN.
 */
import { tCritical } from './student-t';

/** The confidence level of every interval tbkit computes. */
const CONFIDENCE = 0.95;

export interface Interval {
  lo: number;
  hi: number;
  /** Degrees of freedom of the t distribution used (n − 1, or Welch–Satterthwaite's). */
  df: number;
}

export interface ValueStats {
  /** Finite values: the ones every statistic below is computed from. */
  n: number;
  /** NaN and ±Infinity values, left out. */
  nonFinite: number;
  mean: number;
  /** Sample standard deviation (divisor n − 1); NaN for n < 2. */
  std: number;
  min: number;
  max: number;
  /** Student-t 95 % interval of the mean; undefined for n < 2. */
  interval?: Interval;
}

export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length ? s / values.length : NaN;
}

/** Sample standard deviation (n − 1 in the divisor: the unbiased variance); NaN for fewer than 2 values. */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

/** mean ± t(0.975, n − 1) · s / √n; undefined for fewer than 2 values. */
export function meanInterval(values: readonly number[], level = CONFIDENCE): Interval | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const m = mean(values);
  const half = (tCritical(level, n - 1) * sampleStd(values)) / Math.sqrt(n);
  return { lo: m - half, hi: m + half, df: n - 1 };
}

/** The statistics of the finite values among `values` (see the file comment for the others). */
export function describeValues(values: readonly number[]): ValueStats {
  const finite = values.filter(Number.isFinite);
  return {
    n: finite.length,
    nonFinite: values.length - finite.length,
    mean: mean(finite),
    std: sampleStd(finite),
    min: finite.length ? Math.min(...finite) : NaN,
    max: finite.length ? Math.max(...finite) : NaN,
    interval: meanInterval(finite),
  };
}

export interface Difference {
  /** mean(a) − mean(b). */
  diff: number;
  /** Standard error of the difference, √(s_a²/n_a + s_b²/n_b). */
  se: number;
  /**
   * Welch's 95 % interval of the difference: diff ± t(0.975, df) · se with the Welch–Satterthwaite
   * df. When neither group varies (se = 0) it is the point [diff, diff] with df NaN: the data show
   * no spread at all, and no t distribution applies.
   */
  interval: Interval;
}

/**
 * Welch's unequal-variances comparison of the finite values of `a` and `b` (no assumption that
 * the two groups spread alike: BN and no BN do not). Undefined when either has fewer than 2.
 */
export function welchDifference(a: readonly number[], b: readonly number[], level = CONFIDENCE): Difference | undefined {
  const fa = a.filter(Number.isFinite);
  const fb = b.filter(Number.isFinite);
  if (fa.length < 2 || fb.length < 2) return undefined;
  const va = sampleStd(fa) ** 2 / fa.length;
  const vb = sampleStd(fb) ** 2 / fb.length;
  const diff = mean(fa) - mean(fb);
  const se = Math.sqrt(va + vb);
  if (se === 0) return { diff, se, interval: { lo: diff, hi: diff, df: NaN } };
  const df = (va + vb) ** 2 / (va ** 2 / (fa.length - 1) + vb ** 2 / (fb.length - 1));
  const half = tCritical(level, df) * se;
  return { diff, se, interval: { lo: diff - half, hi: diff + half, df } };
}
