/**
 * EarlyStoppingHook — requests a stop when a monitored value stops improving.
 *
 * Fires in `afterRun` of every step where the value `tag` is present (`beforeRun` requests it on
 * every step; a value added by ValidationHook, e.g. 'validation/cost', is present only on
 * validation steps). Improvement: `value < best - minDelta` (mode 'min') or `value > best + minDelta`
 * (mode 'max'); `best` starts at `baseline` when given. Each check without improvement increments
 * `wait`; when `wait >= patience` it requests a stop (kind 'stop_requested', source this hook).
 * NaN never counts as an improvement.
 *
 * State `{ best, bestStep, wait }` is saved in checkpoints (`state()`/`loadState()`, name
 * `EarlyStoppingHook(<tag>)`), so patience survives a resume.
 */
import type { Hook, RunValues, StepContext } from '../hook-contract';

export interface EarlyStoppingOptions {
  tag: string;
  mode?: 'min' | 'max';
  patience?: number;
  minDelta?: number;
  baseline?: number;
  name?: string;
}

export interface EarlyStoppingState {
  best: number | null;
  bestStep: number | null;
  wait: number;
}

export class EarlyStoppingHook implements Hook {
  readonly name: string;
  readonly tag: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  readonly baseline: number | undefined;
  best: number | undefined;
  bestStep: number | undefined;
  wait = 0;
  /** Step at which this hook asked to stop, if it did. */
  stoppedStep: number | undefined;

  constructor(opts: EarlyStoppingOptions) {
    if (!opts || typeof opts.tag !== 'string' || opts.tag === '') throw new TypeError('EarlyStoppingHook: tag is required (a value name, e.g. "validation/cost")');
    const mode = opts.mode ?? 'min';
    if (mode !== 'min' && mode !== 'max') throw new RangeError(`EarlyStoppingHook: mode must be 'min' or 'max', got ${String(mode)}`);
    const patience = opts.patience ?? 0;
    if (!Number.isInteger(patience) || patience < 0) throw new RangeError(`EarlyStoppingHook: patience must be a non-negative integer, got ${patience}`);
    const minDelta = Math.abs(opts.minDelta ?? 0);
    if (!Number.isFinite(minDelta)) throw new RangeError('EarlyStoppingHook: minDelta must be finite');
    this.tag = opts.tag;
    this.mode = mode;
    this.patience = patience;
    this.minDelta = minDelta;
    this.baseline = opts.baseline;
    this.best = opts.baseline;
    this.name = opts.name ?? `EarlyStoppingHook(${opts.tag})`;
  }

  private improves(v: number): boolean {
    if (Number.isNaN(v)) return false;
    if (this.best === undefined) return true;
    return this.mode === 'min' ? v < this.best - this.minDelta : v > this.best + this.minDelta;
  }

  beforeRun(): readonly string[] {
    return [this.tag];
  }

  afterRun(ctx: StepContext, values: RunValues): void {
    const v = values[this.tag];
    if (v === undefined) return;
    if (this.improves(v)) {
      this.best = v;
      this.bestStep = ctx.step;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedStep = ctx.step;
      ctx.requestStop(
        `no improvement of '${this.tag}' (${this.mode}, minDelta ${this.minDelta}) for ${this.wait} checks; best ${this.best} at step ${this.bestStep ?? 'baseline'}`,
      );
    }
  }

  state(): EarlyStoppingState {
    return { best: this.best ?? null, bestStep: this.bestStep ?? null, wait: this.wait };
  }

  loadState(s: unknown): void {
    const st = s as Partial<EarlyStoppingState> | null;
    if (!st || typeof st !== 'object') return;
    this.best = typeof st.best === 'number' ? st.best : this.baseline;
    this.bestStep = typeof st.bestStep === 'number' ? st.bestStep : undefined;
    this.wait = typeof st.wait === 'number' ? st.wait : 0;
  }
}
