/**
 * One tag of one group of runs, summarized: each run's last and best value and their statistics,
 * the group's aligned curve (align.ts) and the step where its mean is best.
 *
 * "Last" is each run's value at the last step that every run of the group logged, so that runs
 * of unequal length are compared at the same point of training; only when the runs share no step
 * at all is it each run's own last value (and `lastStep` is undefined). "Best" is each run's best
 * value over its whole series (as `tbkit compare` shows it per run).
 */
import { alignSeries, type AlignedSeries } from './align';
import type { GroupableRun } from './group';
import { bestModeFor, isBetter, summarize, type BestMode } from './metric';
import { describeValues, type ValueStats } from './stats';

export interface TagAggregate {
  tag: string;
  mode: BestMode;
  /** The runs of the group that logged this tag, in group order: `values[i]` is runs[i]'s. */
  runs: string[];
  /** The step the last values are taken at (see the file comment). */
  lastStep?: number;
  last: ValueStats & { values: number[] };
  best: ValueStats & { values: number[]; steps: number[] };
  /** The best point of the aligned mean curve. */
  bestMean?: { step: number; value: number };
  aligned: AlignedSeries;
}

/**
 * `tag` over the runs of `group` that have it (undefined when none has). `mode` is the direction
 * of "best"; default from the tag's name (`bestModeFor`).
 */
export function aggregate(group: { runs: readonly GroupableRun[] }, tag: string, mode: BestMode = bestModeFor(tag)): TagAggregate | undefined {
  const having = group.runs.filter((r) => (r.scalars.get(tag)?.length ?? 0) > 0);
  if (having.length === 0) return undefined;
  const series = having.map((r) => r.scalars.get(tag)!);
  const aligned = alignSeries(series);
  const lastStep = aligned.points.length ? aligned.points[aligned.points.length - 1].step : undefined;
  const lastValues = series.map((pts) => (lastStep === undefined ? pts[pts.length - 1].value : valueAt(pts, lastStep)));
  const sums = series.map((pts) => summarize(tag, pts, mode)!);
  let bestMean: TagAggregate['bestMean'];
  for (const p of aligned.points) {
    if (isBetter(p.mean, bestMean?.value ?? NaN, mode)) bestMean = { step: p.step, value: p.mean };
  }
  return {
    tag,
    mode,
    runs: having.map((r) => r.name),
    lastStep,
    last: { ...describeValues(lastValues), values: lastValues },
    best: { ...describeValues(sums.map((s) => s.best)), values: sums.map((s) => s.best), steps: sums.map((s) => s.bestStep) },
    bestMean,
    aligned,
  };
}

/** The value at `step` (the later point when a step repeats, as alignSeries takes it). */
function valueAt(points: readonly { step: number; value: number }[], step: number): number {
  for (let i = points.length - 1; i >= 0; i--) if (points[i].step === step) return points[i].value;
  return NaN;
}
