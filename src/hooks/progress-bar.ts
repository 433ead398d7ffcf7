/**
 * ProgressBarHook — a terminal progress bar (cli-progress) with step rate and ETA.
 *
 * Fires:
 * - `begin`: registers itself as the session's log sink.
 * - `afterCreateSession`: starts the bar at the current global step. `total` defaults to the
 *   session's planned last step (a StopAtStepHook plans it in its afterCreateSession, so this hook
 *   has priority 100 and runs after user hooks).
 * - `beforeRun`: requests `tags` at most every `refreshSecs` (default 1 s; TTY) or on plain-line
 *   steps (non-TTY), so displayed metrics cost a download only then.
 * - `afterRun`: TTY: updates the bar every step. Not a TTY (CI, pipes): prints a plain line every
 *   `plainEveryNSteps` steps (default: total/20, or 100) — no escape codes.
 * - `end`: renders the final state, stops the bar and prints `stopped at step N (reason)`.
 *
 * `log(line)` prints a line ABOVE the bar without garbling it (the session's `log`, and so
 * LoggingTensorHook and the signal messages, route through it).
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import { SecondOrStepTimer, type EndInfo, type Hook, type RunValues, type SessionLike, type StepContext } from '../hook-contract';

export interface ProgressBarOptions {
  total?: number;
  tags?: readonly string[];
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Force TTY (bar) or plain mode; default: stream.isTTY. */
  tty?: boolean;
  plainEveryNSteps?: number;
  refreshSecs?: number;
  now?: () => number;
}

function fmtDuration(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) return '?';
  const s = Math.round(secs);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

export class ProgressBarHook implements Hook {
  readonly name = 'ProgressBarHook';
  readonly priority = 100;
  readonly tty: boolean;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly now: () => number;
  private readonly tagTimer: SecondOrStepTimer;
  private multibar: MultiBar | undefined;
  private bar: SingleBar | undefined;
  private total: number | undefined;
  private startStep = 0;
  private startTime = 0;
  private plainEvery = 100;
  private wantTags = false;
  private metrics: Record<string, number> = {};

  constructor(private readonly opts: ProgressBarOptions = {}) {
    this.stream = opts.stream ?? process.stdout;
    this.tty = opts.tty ?? this.stream.isTTY === true;
    this.now = opts.now ?? Date.now;
    this.tagTimer = new SecondOrStepTimer({ everySecs: opts.refreshSecs ?? 1, now: this.now });
  }

  begin(session: SessionLike): void {
    session.registerLogSink((line) => this.log(line));
  }

  afterCreateSession(session: SessionLike): void {
    this.startStep = session.globalStep;
    this.startTime = this.now();
    this.total = this.opts.total ?? session.plannedLastStep;
    this.plainEvery = this.opts.plainEveryNSteps ?? (this.total ? Math.max(1, Math.round((this.total - this.startStep) / 20)) : 100);
    if (this.tty) {
      this.multibar = new MultiBar({
        stream: this.stream as NodeJS.WritableStream,
        format: ' {bar} {percentage}% | step {value}/{total} | {rate} steps/s | ETA {etaText} {metrics}',
        hideCursor: true,
        gracefulExit: false,
        clearOnComplete: false,
        barsize: 30,
        forceRedraw: false,
      } as ConstructorParameters<typeof MultiBar>[0]);
      this.bar = this.multibar.create(this.total ?? 0, this.startStep, { rate: '-', etaText: '?', metrics: '' });
    }
  }

  beforeRun(ctx: StepContext): readonly string[] | undefined {
    const tags = this.opts.tags;
    if (!tags || tags.length === 0) return undefined;
    this.wantTags = this.tty ? this.tagTimer.shouldTriggerForStep(ctx.step) : this.isPlainStep(ctx.step);
    return this.wantTags ? tags : undefined;
  }

  private isPlainStep(step: number): boolean {
    return (step - this.startStep) % this.plainEvery === 0 || (this.total !== undefined && step >= this.total);
  }

  private rate(step: number): number {
    const secs = (this.now() - this.startTime) / 1000;
    return secs > 0 ? (step - this.startStep) / secs : NaN;
  }

  private metricsText(): string {
    return Object.entries(this.metrics).map(([k, v]) => `${k}=${fmtNum(v)}`).join(' ');
  }

  afterRun(ctx: StepContext, values: RunValues): void {
    if (this.wantTags) this.tagTimer.updateLastTriggeredStep(ctx.step);
    // Any tag present this step (requested by this or another hook, or added by ValidationHook) is free.
    for (const t of this.opts.tags ?? []) if (t in values) this.metrics[t] = values[t];
    const rate = this.rate(ctx.step);
    const eta = this.total !== undefined && rate > 0 ? (this.total - ctx.step) / rate : NaN;
    if (this.tty) {
      this.bar?.update(ctx.step, { rate: Number.isFinite(rate) ? rate.toFixed(2) : '-', etaText: fmtDuration(eta), metrics: this.metricsText() });
    } else if (this.isPlainStep(ctx.step)) {
      const of = this.total !== undefined ? `/${this.total} (${((100 * ctx.step) / Math.max(1, this.total)).toFixed(1)}%)` : '';
      const m = this.metricsText();
      this.write(`step ${ctx.step}${of} | ${Number.isFinite(rate) ? rate.toFixed(2) : '-'} steps/s | ETA ${fmtDuration(eta)}${m ? ' | ' + m : ''}`);
    }
  }

  /** Prints a line above the bar (or as a plain line when not a TTY). */
  log(line: string): void {
    if (this.multibar && this.multibar.isActive) {
      this.multibar.log(line.endsWith('\n') ? line : line + '\n');
      this.multibar.update();
    } else {
      this.write(line);
    }
  }

  private write(line: string): void {
    this.stream.write(line + '\n');
  }

  end(session: SessionLike, info: EndInfo): void {
    if (this.multibar) {
      this.multibar.update();
      this.multibar.stop();
      this.multibar = undefined;
    }
    this.write(`stopped at step ${session.globalStep} (${info.reason}${info.stopRequests.length ? ': ' + info.stopRequests.map((r) => r.reason).join('; ') : ''})`);
  }
}
