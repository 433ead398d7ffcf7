/**
 * `sessionCallback(session)`: runs a MonitoredTrainingSession's hooks from `model.fit`. Each batch
 * fit trains is one `session.run()` whose step values are fit's logs (`loss`, `acc`, …):
 * - a stop any hook requests (StopAtStepHook, EarlyStoppingHook, a NaN with `failOnNan: false`,
 *   Ctrl-C) sets `model.stopTraining`, so fit ends after that batch;
 * - NanTensorHook('loss') with `failOnNan: true` throws NanLossError out of fit (the session has
 *   run every hook's `end` and closed its writers by then, as after any failed step);
 * - the last batch of an epoch is a step with `endOfEpoch: true` (ValidationHook `every: 'epoch'`),
 *   run when fit has its validation logs, so `val_loss`, `val_acc`, … are step values too;
 * - `initialEpoch` is the epoch to pass to fit so that a session restored from a checkpoint
 *   continues where it stopped (exact when checkpoints fall on epoch ends: saveCheckpointSteps a
 *   multiple of the epoch length; a mid-epoch checkpoint repeats that epoch's first batches, with
 *   the global step still counting every batch trained);
 * - when fit ends, the session is closed (every hook's `end`: the final checkpoint, flushed events),
 *   unless `closeOnTrainEnd: false`.
 * A tensor in fit's logs is only downloaded when a hook asked for its name (the session's lazy
 * values), and never disposed by the session (fit owns its logs).
 */
import * as tf from '@tensorflow/tfjs';
import type { MonitoredSession } from '../../session';
import type { LazyValue } from '../../hook-contract';
import { batchesPerEpoch } from './fit-params';
import { lazyLogValues, readLogs, VAL_PREFIX, type FitLogs } from './logs';

export interface SessionCallbackOptions {
  /**
   * Batches per epoch. Needed for `initialEpoch` (which is read before fit starts), and for epoch
   * ends under fitDataset without batchesPerEpoch; otherwise fit's own count is used.
   */
  stepsPerEpoch?: number;
  /** Close the session when fit ends (default true). */
  closeOnTrainEnd?: boolean;
}

export class SessionCallback extends tf.Callback {
  readonly session: MonitoredSession;
  private readonly opts: SessionCallbackOptions;
  private epochLength: number | undefined;
  /** Values of an epoch's last batch, run as one step once fit's epoch logs (validation) are there. */
  private pending: Record<string, LazyValue> | undefined;

  constructor(session: MonitoredSession, opts: SessionCallbackOptions = {}) {
    super();
    const spe = opts.stepsPerEpoch;
    if (spe !== undefined && (!Number.isInteger(spe) || spe <= 0)) throw new RangeError(`sessionCallback: stepsPerEpoch must be a positive integer, got ${spe}`);
    this.session = session;
    this.opts = opts;
  }

  /**
   * The epoch fit should start at: the epoch of the session's global step (0 for a fresh session).
   * `model.fit(xs, ys, { epochs, initialEpoch: cb.initialEpoch, callbacks: [cb] })`.
   */
  get initialEpoch(): number {
    const step = this.session.globalStep;
    if (step === 0) return 0;
    const spe = this.opts.stepsPerEpoch;
    if (spe === undefined) {
      throw new Error(`sessionCallback: the session restored global step ${step}; pass { stepsPerEpoch } (batches per epoch) so that initialEpoch can be computed`);
    }
    return Math.floor(step / spe);
  }

  override async onTrainBegin(): Promise<void> {
    const fromFit = batchesPerEpoch(this.params);
    const given = this.opts.stepsPerEpoch;
    if (fromFit !== undefined && given !== undefined && fromFit !== given) {
      this.session.log(`tbkit: sessionCallback: stepsPerEpoch is ${given} but fit trains ${fromFit} batches per epoch; using fit's`);
    }
    this.epochLength = fromFit ?? given;
    this.pending = undefined;
  }

  override async onBatchEnd(batch: number, logs?: FitLogs): Promise<void> {
    if (this.stopIfDone()) return;
    if (this.epochLength !== undefined && batch === this.epochLength - 1) {
      // fit disposes the batch's tensors when this returns: keep their values for onEpochEnd.
      this.pending = await readLogs(logs);
      return;
    }
    await this.step(lazyLogValues(logs), false);
  }

  override async onEpochEnd(_epoch: number, logs?: FitLogs): Promise<void> {
    const values = this.pending;
    this.pending = undefined;
    if (values === undefined || this.stopIfDone()) return;
    for (const [k, v] of Object.entries(await readLogs(logs))) if (k.startsWith(VAL_PREFIX)) values[k] = v;
    await this.step(values, true);
  }

  override async onTrainEnd(): Promise<void> {
    if (this.opts.closeOnTrainEnd ?? true) await this.session.close();
  }

  private async step(values: Record<string, LazyValue>, endOfEpoch: boolean): Promise<void> {
    await this.session.run(() => values, { endOfEpoch });
    this.stopIfDone();
  }

  /** True (and fit told to stop) once the session wants no more steps. */
  private stopIfDone(): boolean {
    if (!this.session.shouldStop()) return false;
    this.model.stopTraining = true;
    return true;
  }
}

/**
 * The fit callback for a session's hooks:
 * `const cb = sessionCallback(session, { stepsPerEpoch });`
 * `await model.fit(xs, ys, { epochs, batchSize, initialEpoch: cb.initialEpoch, callbacks: [cb] });`
 */
export function sessionCallback(session: MonitoredSession, opts?: SessionCallbackOptions): SessionCallback {
  return new SessionCallback(session, opts);
}
