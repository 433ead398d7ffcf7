/**
 * StopAtStepHook — requests a stop once the global step reaches the last step.
 *
 * Fires: in `afterRun` of the step whose completed global step (`ctx.step`) is `>= lastStep`
 * (stop kind 'completed', so the end reason is 'completed' unless something else asked too), and in
 * `afterCreateSession` when the restored global step is already `>= lastStep` (no step runs).
 *
 * `lastStep` is absolute (the last step executed). `numSteps` is relative: lastStep =
 * (global step after restore) + numSteps, computed once in afterCreateSession (TF1 semantics).
 * afterCreateSession also plans that step on the session (`session.planLastStep`), where a
 * ProgressBarHook reads its total.
 */
import type { Hook, SessionLike, StepContext } from '../hook-contract';

export interface StopAtStepOptions {
  numSteps?: number;
  lastStep?: number;
}

function checkSteps(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`StopAtStepHook: ${name} must be a non-negative integer, got ${v}`);
}

export class StopAtStepHook implements Hook {
  readonly name = 'StopAtStepHook';
  private readonly numSteps: number | undefined;
  private _lastStep: number | undefined;

  constructor(opts: StopAtStepOptions) {
    const { numSteps, lastStep } = opts ?? {};
    if ((numSteps === undefined) === (lastStep === undefined)) {
      throw new Error('StopAtStepHook: give exactly one of numSteps (relative) or lastStep (absolute)');
    }
    if (numSteps !== undefined) checkSteps('numSteps', numSteps);
    if (lastStep !== undefined) checkSteps('lastStep', lastStep);
    this.numSteps = numSteps;
    this._lastStep = lastStep;
  }

  /** The absolute last step (known after afterCreateSession when numSteps was given). */
  get lastStep(): number | undefined {
    return this._lastStep;
  }

  afterCreateSession(session: SessionLike): void {
    if (this._lastStep === undefined) this._lastStep = session.globalStep + this.numSteps!;
    session.planLastStep(this._lastStep);
    if (session.globalStep >= this._lastStep) {
      session.requestStop({ reason: `global step ${session.globalStep} already at or past last step ${this._lastStep}`, kind: 'completed' });
    }
  }

  afterRun(ctx: StepContext): void {
    if (this._lastStep !== undefined && ctx.step >= this._lastStep) {
      ctx.requestStop({ reason: `reached last step ${this._lastStep}`, kind: 'completed' });
    }
  }
}
