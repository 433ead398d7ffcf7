/**
 * One run's summary of one scalar tag: its last value, and its best value with the step. Which
 * way is "best" follows the tag's name (loss down, accuracy up), as `tbkit compare` shows it.
 */
import type { ScalarColumns, ScalarPoint } from '../events';

export type BestMode = 'min' | 'max';

export interface MetricSummary {
  tag: string;
  /** Direction of "best" for this tag. */
  mode: BestMode;
  count: number;
  last: number;
  lastStep: number;
  lastWallTime: number;
  /** Best non-NaN value (NaN when every value is NaN); the earliest step on ties. */
  best: number;
  bestStep: number;
}

/**
 * "min" for tags containing loss/cost/error, "max" for accuracy/acc, else `fallback`.
 * (Checked on the lower-cased tag; loss/cost/error win, so "acc_loss" is minimized.)
 */
export function bestModeFor(tag: string, fallback: BestMode = 'min'): BestMode {
  const t = tag.toLowerCase();
  if (t.includes('loss') || t.includes('cost') || t.includes('error')) return 'min';
  if (t.includes('acc')) return 'max';
  return fallback;
}

/** True when `v` is better than `than` in direction `mode` (NaN is never better, and anything beats NaN). */
export function isBetter(v: number, than: number, mode: BestMode): boolean {
  if (Number.isNaN(v)) return false;
  return Number.isNaN(than) || (mode === 'min' ? v < than : v > than);
}

/**
 * Points are in step order: readRun's objects or readRunColumns' columns (compare summarizes a run
 * from its columns and lets them go); undefined for no points.
 */
export function summarize(tag: string, points: readonly ScalarPoint[] | ScalarColumns, mode: BestMode): MetricSummary | undefined {
  const n = points.length;
  if (n === 0) return undefined;
  const cols = 'steps' in points ? points : undefined;
  const pts = cols ? undefined : (points as readonly ScalarPoint[]);
  const stepAt = (i: number): number => (cols ? cols.steps[i] : pts![i].step);
  const valueAt = (i: number): number => (cols ? cols.values[i] : pts![i].value);
  let best = NaN;
  let bestStep = stepAt(n - 1);
  for (let i = 0; i < n; i++) {
    const v = valueAt(i);
    if (isBetter(v, best, mode)) {
      best = v;
      bestStep = stepAt(i);
    }
  }
  const lastWallTime = cols ? cols.wallTimes[n - 1] : pts![n - 1].wallTime;
  return { tag, mode, count: n, last: valueAt(n - 1), lastStep: stepAt(n - 1), lastWallTime, best, bestStep };
}
