/**
 * SummarySaverHook — writes the requested step values as TensorBoard scalars every N steps / secs.
 *
 * Fires:
 * - `afterCreateSession`: writes a SessionLog START at `globalStep + 1` (once per writer and step,
 *   shared with the session's own), so a resumed run has no zig-zag.
 * - `beforeRun`: when the timer triggers for `ctx.step` (the step about to complete), requests
 *   `tags` — the values are downloaded only on those steps. TF1 timing: first step, then every N
 *   steps (or secs) after the last write. With `mode: 'modulo'`: the first step too (as TF1, so a
 *   run shorter than N steps still has a point), then every multiple of N.
 * - `afterRun`: on those steps writes each requested finite-or-not number at `ctx.step`.
 * - `end`: flushes the writer.
 *
 * `tags: '*'` (default) means every value the step function returned (not values added to the
 * step by other hooks such as ValidationHook, which write their own).
 */
import { SecondOrStepTimer, type TriggerOptions, type Hook, type RunValues, type SessionLike, type StepContext, type WriterLike } from '../hook-contract';
import { settleWriterIo, checkDirPath } from '../summary';

export interface SummarySaverOptions extends TriggerOptions {
  saveSteps?: number;
  saveSecs?: number;
  /** Value names to write, or '*' for all values the step function returned (default '*'). */
  tags?: readonly string[] | '*';
  /** Run directory (default: the session's summaryDir). Shares the registry's writer. */
  outputDir?: string;
  /** Explicit writer (overrides outputDir). */
  writer?: WriterLike;
}

export class SummarySaverHook implements Hook {
  readonly name = 'SummarySaverHook';
  readonly priority = 100;
  readonly timer: SecondOrStepTimer;
  private readonly tags: readonly string[] | '*';
  private writer: WriterLike | undefined;
  private pending = false;

  constructor(private readonly opts: SummarySaverOptions) {
    if (opts?.outputDir !== undefined) checkDirPath('new SummarySaverHook', opts.outputDir, 'options.outputDir');
    this.timer = new SecondOrStepTimer({ everySteps: opts.saveSteps, everySecs: opts.saveSecs, now: opts.now, mode: opts.mode });
    this.tags = opts.tags ?? '*';
  }

  afterCreateSession(session: SessionLike): void {
    this.writer = this.opts.writer ?? session.writerFor(this.opts.outputDir);
    if (!this.writer) return;
    session.markSessionStart(this.writer, session.globalStep + 1);
  }

  beforeRun(ctx: StepContext): readonly string[] | undefined {
    // The timer's 'modulo' mode waits for the first multiple of N; TF1's saver writes the first step.
    const first = this.timer.lastTriggeredStep === undefined;
    this.pending = this.writer !== undefined && (first || this.timer.shouldTriggerForStep(ctx.step));
    if (!this.pending) return undefined;
    return this.tags === '*' ? ['*'] : this.tags;
  }

  afterRun(ctx: StepContext, values: RunValues): void {
    if (!this.pending || !this.writer) return;
    this.pending = false;
    const names = this.tags === '*' ? [...ctx.stepValueNames] : this.tags;
    for (const tag of names) {
      const v = values[tag];
      if (typeof v === 'number') this.writer.scalar(tag, v, ctx.step);
    }
    this.timer.updateLastTriggeredStep(ctx.step);
  }

  async end(): Promise<void> {
    if (this.writer) await settleWriterIo(this.writer, this.writer.flush());
  }
}
