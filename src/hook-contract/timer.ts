/**
 * SecondOrStepTimer: the step-or-time trigger shared by every periodic hook (TF1 semantics,
 * `tensorflow/python/training/basic_session_run_hooks.py`).
 *
 * Default mode `'sinceLast'` (TF1):
 * - `shouldTriggerForStep(step)` is true on the first call; false if `step === lastTriggeredStep`;
 *   otherwise true when `now() >= lastTime + everySecs` or `step >= lastStep + everySteps`.
 * - N is counted from the last trigger, not by modulo. After a resume at step 1050 with
 *   `everySteps: 100`, a hook fires on the first step it checks (1051), then 1151, 1251, … —
 *   unless the hook seeds the timer with `updateLastTriggeredStep(1050)` in afterCreateSession
 *   (CheckpointSaverHook does, as TF's does), giving 1150, 1250, ….
 *
 * Mode `'modulo'` (opt-in, steps only): fires when `step` crosses a multiple of `everySteps`
 * (`floor(step/N) > floor(last/N)`, or `step % N === 0` before any trigger), so the schedule is
 * the same whether or not the run was resumed: 100, 200, … after a resume at 1050 it fires at 1100.
 *
 * Time is read from an injectable clock (`now`, milliseconds; default `Date.now`, like TF's
 * wall-clock `time.time()`); pass `performance.now` for a monotonic clock, or a fake in tests.
 */
export interface TimerOptions {
  everySteps?: number;
  everySecs?: number;
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number;
  /** 'sinceLast' (TF1, default) or 'modulo' (steps only). */
  mode?: 'sinceLast' | 'modulo';
}

export interface TriggerTimer {
  shouldTriggerForStep(step: number): boolean;
  /** Records a trigger; returns [elapsedSecs, elapsedSteps] since the previous one, or [undefined, undefined] on the first. */
  updateLastTriggeredStep(step: number): [number | undefined, number | undefined];
  readonly lastTriggeredStep: number | undefined;
  reset(): void;
}

function checkPositive(name: string, v: number | undefined): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new RangeError(`${name} must be a positive finite number, got ${String(v)}`);
  }
}

export class SecondOrStepTimer implements TriggerTimer {
  readonly everySteps: number | undefined;
  readonly everySecs: number | undefined;
  readonly mode: 'sinceLast' | 'modulo';
  private readonly now: () => number;
  private lastStep: number | undefined;
  private lastTimeMs: number | undefined;

  constructor(opts: TimerOptions) {
    const { everySteps, everySecs } = opts;
    if (everySteps !== undefined && everySecs !== undefined) {
      throw new Error(
        `SecondOrStepTimer: give either everySteps (${everySteps}) or everySecs (${everySecs}), not both — a trigger is step-based or time-based`,
      );
    }
    if (everySteps === undefined && everySecs === undefined) {
      throw new Error('SecondOrStepTimer: give one of everySteps or everySecs');
    }
    checkPositive('everySteps', everySteps);
    checkPositive('everySecs', everySecs);
    if (everySteps !== undefined && !Number.isInteger(everySteps)) {
      throw new RangeError(`everySteps must be an integer, got ${everySteps}`);
    }
    this.mode = opts.mode ?? 'sinceLast';
    if (this.mode === 'modulo' && everySteps === undefined) {
      throw new Error("SecondOrStepTimer: mode 'modulo' needs everySteps");
    }
    this.everySteps = everySteps;
    this.everySecs = everySecs;
    this.now = opts.now ?? Date.now;
  }

  get lastTriggeredStep(): number | undefined {
    return this.lastStep;
  }

  reset(): void {
    this.lastStep = undefined;
    this.lastTimeMs = undefined;
  }

  shouldTriggerForStep(step: number): boolean {
    if (this.mode === 'modulo') {
      const n = this.everySteps!;
      if (this.lastStep === undefined) return step % n === 0;
      if (step === this.lastStep) return false;
      return Math.floor(step / n) > Math.floor(this.lastStep / n);
    }
    if (this.lastStep === undefined) return true;
    if (step === this.lastStep) return false;
    if (this.everySecs !== undefined) {
      return this.now() >= this.lastTimeMs! + this.everySecs * 1000;
    }
    return step >= this.lastStep + this.everySteps!;
  }

  updateLastTriggeredStep(step: number): [number | undefined, number | undefined] {
    const t = this.now();
    let out: [number | undefined, number | undefined] = [undefined, undefined];
    if (this.lastTimeMs !== undefined && this.lastStep !== undefined) {
      out = [(t - this.lastTimeMs) / 1000, step - this.lastStep];
    }
    this.lastTimeMs = t;
    this.lastStep = step;
    return out;
  }
}

/** A timer that never triggers (TF's NeverTriggerTimer), for at-end-only hooks. */
export class NeverTriggerTimer implements TriggerTimer {
  private lastStep: number | undefined;
  shouldTriggerForStep(_step?: number): boolean {
    return false;
  }
  updateLastTriggeredStep(step: number): [undefined, undefined] {
    this.lastStep = step;
    return [undefined, undefined];
  }
  get lastTriggeredStep(): number | undefined {
    return this.lastStep;
  }
  reset(): void {
    this.lastStep = undefined;
  }
}

/** Options every periodic built-in hook accepts. */
export interface TriggerOptions {
  /** Clock for everySecs (milliseconds). */
  now?: () => number;
  /** Step alignment, see SecondOrStepTimer. */
  mode?: 'sinceLast' | 'modulo';
}
