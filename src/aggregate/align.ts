/**
 * Several runs' series of one tag on one step axis.
 *
 * The rule: a group's curve exists at the steps that every run of the group logged (the
 * intersection of their steps). A step that only some runs reached (a run stopped early, or
 * logged at other intervals) is not averaged: it is listed in `partialSteps`, so that a chart can
 * mark it and a reduced run can say how many it left out. Averaging whatever runs happen to be
 * there would make the mean jump where a run ends, which reads as a change in training.
 * At a shared step, NaN and ±Infinity values are left out of the statistics and counted
 * (`nonFinite`), as everywhere in aggregate/ (see stats.ts).
 */
import { mean, sampleStd } from './stats';

export interface SeriesPoint {
  step: number;
  value: number;
  wallTime?: number;
}

export interface AlignedPoint {
  step: number;
  mean: number;
  /** Sample standard deviation across runs (NaN with fewer than 2 finite values). */
  std: number;
  min: number;
  max: number;
  /** Runs with a finite value at this step. */
  n: number;
  /** Runs whose value here is NaN or ±Infinity. */
  nonFinite: number;
  /** The latest wall time among the runs at this step (when they have one): when all had reached it. */
  wallTime: number;
}

export interface AlignedSeries {
  /** One point per step shared by every run, in step order. */
  points: AlignedPoint[];
  /** Steps logged by some runs but not all, in step order. */
  partialSteps: number[];
  /** How many runs were aligned. */
  runs: number;
}

export function alignSeries(series: ReadonlyArray<readonly SeriesPoint[]>): AlignedSeries {
  // Per step, each run's point (a run's later point at the same step wins, as TensorBoard's does).
  const byStep = new Map<number, Map<number, SeriesPoint>>();
  series.forEach((points, run) => {
    for (const p of points) {
      const at = byStep.get(p.step);
      if (at) at.set(run, p);
      else byStep.set(p.step, new Map([[run, p]]));
    }
  });
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const points: AlignedPoint[] = [];
  const partialSteps: number[] = [];
  for (const step of steps) {
    const at = [...byStep.get(step)!.values()];
    if (at.length < series.length) {
      partialSteps.push(step);
      continue;
    }
    const finite = at.map((p) => p.value).filter(Number.isFinite);
    const walls = at.map((p) => p.wallTime ?? NaN).filter(Number.isFinite);
    points.push({
      step,
      mean: mean(finite),
      std: sampleStd(finite),
      min: finite.length ? Math.min(...finite) : NaN,
      max: finite.length ? Math.max(...finite) : NaN,
      n: finite.length,
      nonFinite: at.length - finite.length,
      wallTime: walls.length ? Math.max(...walls) : NaN,
    });
  }
  return { points, partialSteps, runs: series.length };
}
