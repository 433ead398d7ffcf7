/**
 * TensorBoard's purge rules, applied to every tag's steps as they are read:
 *
 * 1. A SessionLog START at step S purges every tag's points with step ≥ S — except the run's first
 *    START, which TensorBoard's legacy loader ignores (a fresh run also starts with one; see
 *    _CheckForRestartAndMaybePurge in tensorboard/backend/event_processing/event_accumulator.py).
 * 2. A point whose step is ≤ its tag's last step preempts that tag's points with step ≥ it
 *    (preemption in RustBoard's tensorboard/data/server/reservoir.rs; no sampling here: every
 *    point is kept). An equal step replaces the previous point and is listed in `duplicates`; a
 *    smaller one removes the newer points, listed in `purged` as 'out-of-order'.
 *
 * Both apply to every tag's steps; only tags of the scalars plugin keep values (in columns).
 */
import type { ColumnStore } from './column-store';
import type { RunData, TagInfo } from './types';

/** A tag as the rules see it: a scalar tag's points (cols), or another tag's steps (info.steps). */
export interface TagSteps {
  readonly info: TagInfo;
  cols: ColumnStore | undefined;
}

export class StepReservoir {
  private startsSeen = 0;

  constructor(private readonly run: Pick<RunData, 'purged' | 'duplicates'>) {}

  /** Adds a step (and, for scalar tags, a point), applying rule 2. */
  add(st: TagSteps, step: number, wallTime: number, value: number): void {
    st.info.count++;
    const c = st.cols;
    if (c !== undefined) {
      if (step <= c.lastStep()) this.preempt(st, step);
      c.push(step, wallTime, value);
      return;
    }
    const steps = st.info.steps;
    const n = steps.length;
    if (n > 0 && step <= steps[n - 1]) this.preempt(st, step);
    steps.push(step);
  }

  /** Rule 1, for a SessionLog START at `step`. */
  sessionStart(step: number, tags: Iterable<TagSteps>): void {
    if (this.startsSeen++ === 0) return;
    for (const st of tags) {
      while (lastStep(st) >= step) {
        this.run.purged.push({ tag: st.info.tag, step: pop(st), reason: 'session-start' });
      }
    }
  }

  private preempt(st: TagSteps, step: number): void {
    // Steps are strictly increasing (every add preempts), so only the last one can be equal.
    if (lastStep(st) === step) {
      this.run.duplicates.push({ tag: st.info.tag, step });
      pop(st);
      return;
    }
    while (lastStep(st) >= step) {
      this.run.purged.push({ tag: st.info.tag, step: pop(st), reason: 'out-of-order' });
    }
  }
}

/** The tag's last step; -Infinity if it has none (steps may be negative on the slow path). */
function lastStep(st: TagSteps): number {
  const c = st.cols;
  if (c !== undefined) return c.lastStep();
  const steps = st.info.steps;
  return steps.length > 0 ? steps[steps.length - 1] : -Infinity;
}

/** Removes the tag's last point (or step) and returns its step. */
function pop(st: TagSteps): number {
  const c = st.cols;
  if (c !== undefined) return c.pop();
  return st.info.steps.pop()!;
}
