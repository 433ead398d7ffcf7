/**
 * CheckpointSaverHook — saves checkpoints (global step, checkpointer model/state, hook states).
 *
 * Fires:
 * - `afterCreateSession`: saves at the current global step unless the newest checkpoint is already
 *   at that step (TF1 saves an initial checkpoint), and seeds its timer there (so a resume at 1050
 *   with saveSteps 100 saves at 1150, 1250, …).
 * - `afterRun`: when the timer triggers for `ctx.step`. It has priority 1000, so it runs after every
 *   other hook of the step (their state for that step is saved).
 * - `end`: saves if the last step was not saved yet — EXCEPT when the reason is 'nan' or 'error'
 *   (diverged or half-updated weights are not saved). Then calls `listener.end`.
 *
 * Listeners: `begin()`, `beforeSave(session, step)`, `afterSave(session, step)` (return true to
 * request a stop), `end(session, step)`. Before each save it flushes the session writer, so the
 * events up to the checkpointed step are on disk whenever the checkpoint is. Needs the session's checkpointDir; on a non-chief it
 * never saves.
 */
import { SecondOrStepTimer, type TriggerOptions, type EndInfo, type Hook, type SessionLike, type StepContext } from '../hook-contract';
import { settleWriterIo } from '../summary';

export interface CheckpointSaverListener {
  begin?(): void | Promise<void>;
  beforeSave?(session: SessionLike, step: number): void | Promise<void>;
  afterSave?(session: SessionLike, step: number): boolean | void | Promise<boolean | void>;
  end?(session: SessionLike, step: number): void | Promise<void>;
}

export interface CheckpointSaverOptions extends TriggerOptions {
  saveSteps?: number;
  saveSecs?: number;
  listeners?: CheckpointSaverListener[];
}

export class CheckpointSaverHook implements Hook {
  readonly name = 'CheckpointSaverHook';
  readonly priority = 1000;
  readonly timer: SecondOrStepTimer;
  /** Steps saved by this hook, in order. */
  readonly savedSteps: number[] = [];
  private readonly listeners: CheckpointSaverListener[];

  constructor(opts: CheckpointSaverOptions) {
    this.timer = new SecondOrStepTimer({ everySteps: opts.saveSteps, everySecs: opts.saveSecs, now: opts.now, mode: opts.mode });
    this.listeners = opts.listeners ?? [];
  }

  private _lastSaved: number | undefined;

  /** Newest step known to be on disk (saved by this hook, or the restored checkpoint). */
  get lastSavedStep(): number | undefined {
    return this._lastSaved;
  }

  async begin(session: SessionLike): Promise<void> {
    if (session.checkpointDir === undefined) {
      throw new Error('CheckpointSaverHook: the session has no checkpointDir; pass checkpointDir to MonitoredTrainingSession.create');
    }
    for (const l of this.listeners) await l.begin?.();
  }

  async afterCreateSession(session: SessionLike): Promise<void> {
    const step = session.globalStep;
    if (session.latestCheckpointStep() !== step) await this.save(session);
    else this._lastSaved = step;
    this.timer.updateLastTriggeredStep(step);
  }

  async afterRun(ctx: StepContext): Promise<void> {
    if (!this.timer.shouldTriggerForStep(ctx.step)) return;
    this.timer.updateLastTriggeredStep(ctx.step);
    await this.save(ctx.session);
  }

  async end(session: SessionLike, info: EndInfo): Promise<void> {
    if (info.reason !== 'nan' && info.reason !== 'error' && this.lastSavedStep !== session.globalStep) {
      await this.save(session);
    }
    for (const l of this.listeners) await l.end?.(session, session.globalStep);
  }

  private async save(session: SessionLike): Promise<void> {
    if (!session.isChief) return;
    const step = session.globalStep;
    for (const l of this.listeners) await l.beforeSave?.(session, step);
    // Events up to this step reach the disk before the checkpoint exists: after a crash, a resume
    // from this checkpoint never misses summaries written before it.
    if (session.writer) await settleWriterIo(session.writer, session.writer.flush());
    await session.saveCheckpoint();
    this.savedSteps.push(step);
    this._lastSaved = step;
    let stop = false;
    for (const l of this.listeners) if ((await l.afterSave?.(session, step)) === true) stop = true;
    if (stop) session.requestStop({ reason: `a checkpoint listener asked to stop after saving step ${step}` });
  }
}
