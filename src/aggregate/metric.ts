/**
 * One run's summary of one scalar tag: its last value, and its best value with the step. Which
 * way is "best" follows the tag's name (loss down, accuracy up), as `tbkit compare` shows it.
 */
import type { ScalarPoint } from '../events';

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

/** Points are in step order (as readRun returns them); undefined for no points. */
export function summarize(tag: string, points: readonly ScalarPoint[], mode: BestMode): MetricSummary | undefined {
  if (points.length === 0) return undefined;
  const last = points[points.length - 1];
  let best = NaN;
  let bestStep = last.step;
  for (const p of points) {
    if (isBetter(p.value, best, mode)) {
      best = p.value;
      bestStep = p.step;
    }
  }
  return { tag, mode, count: points.length, last: last.value, lastStep: last.step, lastWallTime: last.wallTime, best, bestStep };
}
