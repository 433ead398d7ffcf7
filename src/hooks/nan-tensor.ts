/**
 * NanTensorHook — stops training when the watched value is NaN or ±Infinity.
 *
 * Fires on every step: `beforeRun` requests `tag` (so it is downloaded every step), `afterRun`
 * checks it. On a non-finite value:
 * - `failOnNan: true` (default): throws NanLossError → every hook's `end` runs with reason 'nan'
 *   (CheckpointSaverHook does not save), then run() rethrows the NanLossError;
 * - `failOnNan: false`: `ctx.requestStop({ kind: 'nan' })` → the step's other afterRun hooks still
 *   run, the loop sees shouldStop(), and close() ends with reason 'nan' (no checkpoint either).
 * A step that did not return `tag` is skipped (with a one-time warning).
 */
import { NanLossError, type Hook, type RunValues, type StepContext } from '../hook-contract';

export class NanTensorHook implements Hook {
  readonly name: string;
  readonly failOnNan: boolean;
  private warned = false;

  constructor(readonly tag: string, opts: { failOnNan?: boolean } = {}) {
    if (typeof tag !== 'string' || tag === '') throw new TypeError('NanTensorHook: tag must be the name of a step value, e.g. "cost"');
    this.failOnNan = opts.failOnNan ?? true;
    this.name = `NanTensorHook(${tag})`;
  }

  beforeRun(): readonly string[] {
    return [this.tag];
  }

  afterRun(ctx: StepContext, values: RunValues): void {
    const v = values[this.tag];
    if (v === undefined) {
      if (!this.warned) {
        this.warned = true;
        console.warn(`NanTensorHook: the step function returned no '${this.tag}'; nothing to check`);
      }
      return;
    }
    if (Number.isFinite(v)) return;
    if (this.failOnNan) throw new NanLossError(this.tag, v, ctx.step);
    ctx.requestStop({ reason: `'${this.tag}' = ${v} at step ${ctx.step}`, kind: 'nan' });
  }
}
