/**
 * ValidationHook — runs a user validation function periodically and publishes its metrics.
 *
 * Fires in `afterRun` (priority -100: before every user, summary and checkpoint hook of the step):
 * - `every: { steps: N }`: N steps after session start / the previous validation (its timer is
 *   seeded with the start step, so a fresh run validates at N, 2N, …; a resume at 1050 at 1050+N, …);
 * - `every: { secs: S }`: at the first step S seconds after the previous validation;
 * - `every: 'epoch'`: at steps that are multiples of `stepsPerEpoch` when given; otherwise at the
 *   steps the caller marks with `session.run(fn, { endOfEpoch: true })`;
 * - `atEnd: true`: also once in `end` (reasons completed/stop_requested/interrupted) if the last step
 *   was not validated.
 * On firing, `metrics = await fn(step)`; each metric is written as a scalar `<prefix><name>` at the
 * step, and added to the step's values so later hooks of the same step see it (e.g.
 * `EarlyStoppingHook({ tag: 'validation/cost' })`, LoggingTensorHook, ProgressBarHook).
 */
import { SecondOrStepTimer, type TriggerOptions, type EndInfo, type Hook, type RunValues, type SessionLike, type StepContext, type WriterLike } from '../hook-contract';
import { checkDirPath } from '../summary';

export interface ValidationOptions extends TriggerOptions {
  every: { steps: number } | { secs: number } | 'epoch';
  stepsPerEpoch?: number;
  fn: (step: number) => Record<string, number> | Promise<Record<string, number>>;
  /** Default 'validation/'. */
  prefix?: string;
  /** Run directory for the metrics (default: the session's summaryDir). */
  outputDir?: string;
  writer?: WriterLike;
  atEnd?: boolean;
}

export class ValidationHook implements Hook {
  readonly name = 'ValidationHook';
  readonly priority = -100;
  readonly prefix: string;
  readonly timer: SecondOrStepTimer | undefined;
  /** Metrics of the latest validation (prefixed names). */
  lastMetrics: Record<string, number> | undefined;
  lastValidatedStep: number | undefined;
  private writer: WriterLike | undefined;

  constructor(private readonly opts: ValidationOptions) {
    if (!opts || typeof opts.fn !== 'function') throw new TypeError('ValidationHook: fn (async (step) => metrics) is required');
    if (opts.outputDir !== undefined) checkDirPath('new ValidationHook', opts.outputDir, 'options.outputDir');
    this.prefix = opts.prefix ?? 'validation/';
    const every = opts.every;
    if (every === 'epoch') {
      if (opts.stepsPerEpoch !== undefined && (!Number.isInteger(opts.stepsPerEpoch) || opts.stepsPerEpoch <= 0)) {
        throw new RangeError(`ValidationHook: stepsPerEpoch must be a positive integer, got ${opts.stepsPerEpoch}`);
      }
    } else if (every && typeof every === 'object') {
      const e = every as { steps?: number; secs?: number };
      this.timer = new SecondOrStepTimer({ everySteps: e.steps, everySecs: e.secs, now: opts.now, mode: opts.mode });
    } else {
      throw new TypeError("ValidationHook: every must be { steps: N }, { secs: S } or 'epoch'");
    }
  }

  afterCreateSession(session: SessionLike): void {
    this.writer = this.opts.writer ?? session.writerFor(this.opts.outputDir);
    if (this.timer && this.timer.mode === 'sinceLast') this.timer.updateLastTriggeredStep(session.globalStep);
  }

  private due(ctx: StepContext): boolean {
    if (this.timer) return this.timer.shouldTriggerForStep(ctx.step);
    if (this.opts.stepsPerEpoch !== undefined) return ctx.step % this.opts.stepsPerEpoch === 0;
    return ctx.endOfEpoch;
  }

  async afterRun(ctx: StepContext, values: RunValues): Promise<void> {
    if (!this.due(ctx)) return;
    this.timer?.updateLastTriggeredStep(ctx.step);
    const m = await this.validate(ctx.step);
    Object.assign(values, m);
  }

  async end(session: SessionLike, info: EndInfo): Promise<void> {
    if (!this.opts.atEnd || info.reason === 'error' || info.reason === 'nan') return;
    if (this.lastValidatedStep !== session.globalStep) await this.validate(session.globalStep);
  }

  private async validate(step: number): Promise<Record<string, number>> {
    const metrics = await this.opts.fn(step);
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(metrics ?? {})) {
      if (typeof v !== 'number') throw new TypeError(`ValidationHook: metric '${k}' must be a number, got ${typeof v}`);
      const tag = this.prefix + k;
      out[tag] = v;
      this.writer?.scalar(tag, v, step);
    }
    this.lastMetrics = out;
    this.lastValidatedStep = step;
    return out;
  }
}
