/**
 * LoggingTensorHook — prints named step values.
 *
 * Fires:
 * - `beforeRun`/`afterRun`: when its timer triggers for the LOCAL iteration count (`ctx.localStep`,
 *   as TF1's every_n_iter) or every `everyNSecs`: requests `tags` (downloaded only then) and logs
 *   `step N: tag = value, … (x.xxx sec)` (or `formatter(values, step)`). TF1 timing: the first
 *   iteration, then every N after the last log.
 * - `end`: with `atEnd: true`, logs the last values seen. `atEnd` requests the tags on every step
 *   (there is no way to re-run a step at the end), so it downloads them every step.
 *
 * Output goes to `logger` (default: `session.log`, i.e. stdout, above a ProgressBarHook bar).
 */
import { SecondOrStepTimer, type TriggerOptions, type Hook, type RunValues, type SessionLike, type StepContext } from '../hook-contract';

export interface LoggingTensorOptions extends TriggerOptions {
  tags: readonly string[];
  everyNIter?: number;
  everyNSecs?: number;
  atEnd?: boolean;
  formatter?: (values: Record<string, number>, step: number) => string;
  logger?: (line: string) => void;
}

export class LoggingTensorHook implements Hook {
  readonly name = 'LoggingTensorHook';
  readonly priority = 100;
  readonly timer: SecondOrStepTimer | undefined;
  /** Last values logged or seen (for atEnd). */
  lastValues: Record<string, number> | undefined;
  private session: SessionLike | undefined;
  private pending = false;
  private lastStep = 0;

  constructor(private readonly opts: LoggingTensorOptions) {
    if (!opts || !Array.isArray(opts.tags) || opts.tags.length === 0) throw new Error('LoggingTensorHook: tags must be a non-empty array of value names');
    const periodic = opts.everyNIter !== undefined || opts.everyNSecs !== undefined;
    if (!periodic && !opts.atEnd) throw new Error('LoggingTensorHook: give everyNIter or everyNSecs, or atEnd: true');
    this.timer = periodic ? new SecondOrStepTimer({ everySteps: opts.everyNIter, everySecs: opts.everyNSecs, now: opts.now, mode: opts.mode }) : undefined;
  }

  begin(session: SessionLike): void {
    this.session = session;
  }

  beforeRun(ctx: StepContext): readonly string[] | undefined {
    this.pending = this.timer !== undefined && this.timer.shouldTriggerForStep(ctx.localStep);
    return this.pending || this.opts.atEnd ? this.opts.tags : undefined;
  }

  afterRun(ctx: StepContext, values: RunValues): void {
    const picked: Record<string, number> = {};
    for (const t of this.opts.tags) if (t in values) picked[t] = values[t];
    this.lastStep = ctx.step;
    if (this.opts.atEnd) this.lastValues = picked;
    if (!this.pending) return;
    this.pending = false;
    this.lastValues = picked;
    const [secs] = this.timer!.updateLastTriggeredStep(ctx.localStep);
    this.emit(picked, ctx.step, secs);
  }

  end(): void {
    if (this.opts.atEnd && this.lastValues) this.emit(this.lastValues, this.lastStep, undefined);
  }

  private emit(values: Record<string, number>, step: number, secs: number | undefined): void {
    const line = this.opts.formatter
      ? this.opts.formatter(values, step)
      : `step ${step}: ${Object.entries(values).map(([k, v]) => `${k} = ${v}`).join(', ')}${secs !== undefined ? ` (${secs.toFixed(3)} sec)` : ''}`;
    if (this.opts.logger) this.opts.logger(line);
    else if (this.session) this.session.log(line);
    else console.log(line);
  }
}
