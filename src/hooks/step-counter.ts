/**
 * StepCounterHook — measures training speed and writes the scalar `global_step/sec`.
 *
 * Fires in `afterRun` when its timer triggers for `ctx.step` (TF1 timing: the first step only starts
 * the clock; then every `everyNSteps` steps or `everyNSecs` seconds it writes
 * `global_step/sec = steps since last trigger / seconds since last trigger` at `ctx.step`, and
 * calls `logger` with a line if one is given). Never requests step values.
 */
import { SecondOrStepTimer, type TriggerOptions, type Hook, type SessionLike, type StepContext, type WriterLike } from '../hook-contract';
import { checkDirPath } from '../summary';

export interface StepCounterOptions extends TriggerOptions {
  /** Default 100 (when everyNSecs is not given). */
  everyNSteps?: number;
  everyNSecs?: number;
  outputDir?: string;
  writer?: WriterLike;
  /** Also print `global_step/sec: X` lines (e.g. `console.log`, or `true` for session.log). */
  logger?: ((line: string) => void) | boolean;
  /** Scalar tag (default 'global_step/sec'). */
  tag?: string;
}

export class StepCounterHook implements Hook {
  readonly name = 'StepCounterHook';
  readonly priority = 100;
  readonly timer: SecondOrStepTimer;
  /** Last measured rate (steps per second). */
  lastRate: number | undefined;
  private writer: WriterLike | undefined;
  private session: SessionLike | undefined;

  constructor(private readonly opts: StepCounterOptions = {}) {
    if (opts.outputDir !== undefined) checkDirPath('new StepCounterHook', opts.outputDir, 'options.outputDir');
    const everyNSteps = opts.everyNSteps ?? (opts.everyNSecs === undefined ? 100 : undefined);
    this.timer = new SecondOrStepTimer({ everySteps: everyNSteps, everySecs: opts.everyNSecs, now: opts.now, mode: opts.mode });
  }

  afterCreateSession(session: SessionLike): void {
    this.session = session;
    this.writer = this.opts.writer ?? session.writerFor(this.opts.outputDir);
  }

  afterRun(ctx: StepContext): void {
    if (!this.timer.shouldTriggerForStep(ctx.step)) return;
    const [secs, steps] = this.timer.updateLastTriggeredStep(ctx.step);
    if (secs === undefined || steps === undefined || secs <= 0) return;
    const rate = steps / secs;
    this.lastRate = rate;
    this.writer?.scalar(this.opts.tag ?? 'global_step/sec', rate, ctx.step);
    const line = `${this.opts.tag ?? 'global_step/sec'}: ${rate.toFixed(3)} (step ${ctx.step})`;
    if (typeof this.opts.logger === 'function') this.opts.logger(line);
    else if (this.opts.logger === true) this.session?.log(line);
  }
}
