/**
 * MonitoredTrainingSession: a TF1-style training harness for any async training loop.
 *
 * ```ts
 * const session = await MonitoredTrainingSession.create({ summaryDir, checkpointDir, hooks: [...] });
 * while (!session.shouldStop()) await session.run(async () => ({ cost: trainOneBatch() }));
 * await session.close();
 * ```
 *
 * Lifecycle (every hook call is awaited, one hook at a time, in hook order):
 *   create():  begin(session) → restore latest checkpoint (global step, checkpointer, hook.loadState)
 *              → SessionLog START → afterCreateSession(session)
 *   run(fn):   beforeRun(ctx) for every hook (collects requested value names) → fn(ctx) → resolve ONLY
 *              requested values (`await v.data()` for tensor-likes) → dispose every tensor-like fn
 *              returned → globalStep += 1 → afterRun(ctx, values) for every hook
 *   close():   end(session, info) for every hook → flush/close writers.
 *
 * Hook order: registration order (`hooks`, then `chiefOnlyHooks`, then the default hooks the options
 * create: StepCounterHook, SummarySaverHook, CheckpointSaverHook — each only when the caller did not
 * pass a hook of that class), stable-sorted by `priority`
 * (ValidationHook -100, user hooks 0, summary/logging hooks 100, CheckpointSaverHook 1000), so
 * checkpoints are taken after every other hook has updated its state for the step. `end` runs in the
 * same order.
 *
 * Errors: if the step function or a hook throws, `run()` runs every hook's `end` with reason 'error'
 * ('nan' for NanLossError), flushes and closes the writers, then rethrows the ORIGINAL error. Errors
 * thrown by `end` hooks are reported through `onHookError` (default console.error) and never mask it.
 *
 * Signals (handleSignals, default true): first SIGINT/SIGTERM requests a stop with kind 'interrupted'
 * (the current step finishes; the loop sees shouldStop(); close() runs end with reason 'interrupted',
 * CheckpointSaverHook saves, writers flush). A second signal, or stopGracePeriodSecs elapsing before
 * close() finishes, aborts: `onAbort(signal)` (default `process.exit(128 + signo)`). The caller sets its
 * exit code from `session.exitCodeForSignal` (130 for SIGINT, 143 for SIGTERM).
 *
 * Resume: the SessionLog START is written at `globalStep + 1` (the first step this session writes):
 * TensorBoard then drops every point the dead run wrote after the checkpoint and keeps the point of
 * the checkpointed step itself (TF1 writes it at `globalStep`, which also drops that point).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { CheckpointManager } from './checkpoint-manager';
import { NanLossError, SessionStateError } from './errors';
import { disposeAll, isTensorLike, resolveLazy } from './values';
import { defaultWriterRegistry, type WriterRegistry } from './writer-registry';
import { checkDirPath } from '../summary/validate';
import type { SummaryWriter } from '../summary/summary-writer';
import type {
  Checkpointer,
  EndInfo,
  EndReason,
  Hook,
  LazyValue,
  RunValues,
  SessionLike,
  StepContext,
  StepValues,
  StopRequest,
  StopRequestInit,
  TensorLike,
  WriterLike,
} from './types';
import { StepCounterHook } from '../hooks/step-counter';
import { SummarySaverHook } from '../hooks/summary-saver';
import { CheckpointSaverHook } from '../hooks/checkpoint-saver';

export interface MonitoredTrainingSessionOptions {
  /** Hooks run on every worker. */
  hooks?: Hook[];
  /** Hooks run only on the chief (dropped when isChief is false). */
  chiefOnlyHooks?: Hook[];
  /** Default true. A non-chief has no writer, saves no checkpoints and runs no chief-only or default hooks. */
  isChief?: boolean;
  /** Run directory for TensorBoard events (default: checkpointDir, as TF). */
  summaryDir?: string;
  /** Default 100 when a summaryDir is set and saveSummariesSecs is not; 0 disables the default SummarySaverHook. */
  saveSummariesSteps?: number;
  saveSummariesSecs?: number;
  /** StepCounterHook period (global_step/sec). Default 100; 0 disables. */
  logStepCountSteps?: number;
  /** Where checkpoints are saved and restored from. */
  checkpointDir?: string;
  /** Default: saveCheckpointSecs 600 when neither is given (TF's default); 0 disables the default CheckpointSaverHook. */
  saveCheckpointSteps?: number;
  saveCheckpointSecs?: number;
  /** Newest checkpoints to keep (default 5). */
  keepCheckpoints?: number;
  /** Saves/restores the user's model and state inside each checkpoint (e.g. src/tfjs/checkpoint TfjsCheckpointer). */
  checkpointer?: Checkpointer;
  /** After the first signal, how long close() may take before the session aborts (default 120). */
  stopGracePeriodSecs?: number;
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
  /** Inject the writer for summaryDir (its logdir becomes summaryDir). The session flushes but never closes it. */
  writer?: WriterLike;
  /** Writer registry (default: process-wide). */
  writerRegistry?: WriterRegistry;
  /** Clock (ms) for the default hooks' time triggers. */
  now?: () => number;
  /** Where session.log prints (default console.log). */
  logger?: (line: string) => void;
  /** Reports errors thrown by `end` hooks (default console.error). */
  onHookError?: (error: unknown, hook: string, phase: string) => void;
  /** Called on hard abort (second signal / grace period). Default: process.exit(128 + signo). */
  onAbort?: (signal: NodeJS.Signals) => void;
  /** Dispose tensor-likes returned by the step function after each step (default true). */
  disposeValues?: boolean;
}

export interface RunOptions {
  /** Extra value names to resolve and return, whatever the hooks asked for. */
  fetch?: readonly string[];
  /** Marks this step as the last of an epoch (ValidationHook `every: 'epoch'`). */
  endOfEpoch?: boolean;
}

export type StepFn = (ctx: StepContext) => StepValues | Promise<StepValues>;

const KIND_RANK: Record<string, number> = { completed: 0, stop_requested: 1, nan: 2, interrupted: 3 };

function signalNumber(sig: NodeJS.Signals): number {
  return (os.constants.signals as Record<string, number>)[sig] ?? 0;
}

export class MonitoredTrainingSession implements SessionLike {
  readonly isChief: boolean;
  readonly summaryDir: string | undefined;
  readonly checkpointDir: string | undefined;
  readonly checkpointer: Checkpointer | undefined;
  /** Hooks in call order. */
  readonly hooks: readonly Hook[];
  /** Step of the checkpoint restored at start (undefined when starting fresh). */
  restoredStep: number | undefined;
  /** Set by close(): why the session ended. */
  endInfo: EndInfo | undefined;

  private _globalStep = 0;
  private _localStep = 0;
  private readonly names = new Map<Hook, string>();
  private readonly begun = new Set<Hook>();
  private readonly requests: StopRequest[] = [];
  private readonly registry: WriterRegistry;
  private readonly acquired: WriterLike[] = [];
  private _writer: WriterLike | undefined;
  private readonly manager: CheckpointManager | undefined;
  private readonly opts: MonitoredTrainingSessionOptions;
  private currentHook: Hook | undefined;
  private running = false;
  private closing: Promise<unknown[]> | undefined;
  private closed = false;
  private signal: NodeJS.Signals | undefined;
  private signalCount = 0;
  private signalHandler: ((s: NodeJS.Signals) => void) | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private saving: Promise<unknown> = Promise.resolve();
  private readonly abortController = new AbortController();

  private constructor(opts: MonitoredTrainingSessionOptions) {
    this.opts = opts;
    this.isChief = opts.isChief ?? true;
    this.checkpointDir = opts.checkpointDir;
    this.summaryDir = opts.summaryDir ?? opts.writer?.logdir ?? opts.checkpointDir;
    this.checkpointer = opts.checkpointer;
    this.registry = opts.writerRegistry ?? defaultWriterRegistry;
    this.manager = opts.checkpointDir ? new CheckpointManager(opts.checkpointDir, { keep: opts.keepCheckpoints }) : undefined;

    const list: Hook[] = [...(opts.hooks ?? [])];
    if (this.isChief) {
      list.push(...(opts.chiefOnlyHooks ?? []));
      list.push(...this.defaultHooks());
    }
    for (const h of list) {
      if (h === null || typeof h !== 'object') throw new TypeError(`hooks must be objects, got ${String(h)}`);
    }
    if (new Set(list).size !== list.length) throw new Error('the same hook instance is registered twice');
    this.hooks = list
      .map((h, i) => ({ h, i, p: typeof h.priority === 'number' ? h.priority : 0 }))
      .sort((a, b) => a.p - b.p || a.i - b.i)
      .map((x) => x.h);
    const count = new Map<string, number>();
    for (const h of this.hooks) {
      const base = h.name ?? h.constructor?.name ?? 'hook';
      const n = (count.get(base) ?? 0) + 1;
      count.set(base, n);
      this.names.set(h, n === 1 ? base : `${base}#${n}`);
    }
  }

  private defaultHooks(): Hook[] {
    const o = this.opts;
    const out: Hook[] = [];
    // A hook of the same class given by the caller replaces the default one (never two checkpoint savers).
    const given = [...(o.hooks ?? []), ...(o.chiefOnlyHooks ?? [])];
    const has = (cls: abstract new (...a: never[]) => unknown): boolean => given.some((h) => h instanceof cls);
    const hasSummaries = this.summaryDir !== undefined;
    const logSteps = o.logStepCountSteps ?? 100;
    if (hasSummaries && logSteps > 0 && !has(StepCounterHook)) out.push(new StepCounterHook({ everyNSteps: logSteps, now: o.now }));
    if (hasSummaries && !has(SummarySaverHook)) {
      const secs = o.saveSummariesSecs;
      const steps = o.saveSummariesSteps ?? (secs === undefined ? 100 : undefined);
      if ((steps ?? 0) > 0 || (secs ?? 0) > 0) {
        out.push(new SummarySaverHook({ saveSteps: steps || undefined, saveSecs: secs || undefined, tags: '*', now: o.now }));
      }
    }
    if (this.checkpointDir !== undefined && !has(CheckpointSaverHook)) {
      const steps = o.saveCheckpointSteps;
      const secs = o.saveCheckpointSecs ?? (steps === undefined ? 600 : undefined);
      if ((steps ?? 0) > 0 || (secs ?? 0) > 0) {
        out.push(new CheckpointSaverHook({ saveSteps: steps || undefined, saveSecs: secs || undefined, now: o.now }));
      }
    }
    return out;
  }

  /** Creates the session: begin → restore → SessionLog START → afterCreateSession. */
  static async create(opts: MonitoredTrainingSessionOptions = {}): Promise<MonitoredTrainingSession> {
    const s = new MonitoredTrainingSession(opts);
    try {
      await s.start();
    } catch (e) {
      await s.closeInternal(e);
      throw e;
    }
    return s;
  }

  private async start(): Promise<void> {
    if (this.isChief) {
      if (this.opts.writer) {
        this._writer = this.registry.adopt(this.opts.writer);
        this.acquired.push(this._writer);
      } else if (this.summaryDir !== undefined) {
        this._writer = this.acquireWriter(this.summaryDir);
      }
    }
    for (const h of this.hooks) {
      this.begun.add(h);
      if (h.begin) await this.callHook(h, () => h.begin!(this));
    }
    if (this.manager) {
      const restored = await this.manager.restoreLatest(this.checkpointer);
      if (restored) {
        this._globalStep = restored.state.globalStep ?? restored.step;
        this.restoredStep = this._globalStep;
        const states = restored.state.hooks ?? {};
        for (const h of this.hooks) {
          const name = this.nameOf(h);
          if (h.loadState && Object.prototype.hasOwnProperty.call(states, name)) {
            await this.callHook(h, () => h.loadState!(states[name]));
          }
        }
      }
    }
    if (this._writer) this.registry.markSessionStart(this._writer, this._globalStep + 1);
    if (this.opts.handleSignals ?? true) this.installSignals();
    for (const h of this.hooks) {
      if (h.afterCreateSession) await this.callHook(h, () => h.afterCreateSession!(this));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Public surface

  /** Global step: steps completed (restored from the latest checkpoint on start). */
  get globalStep(): number {
    return this._globalStep;
  }

  /** run() calls made by this process. */
  get localStep(): number {
    return this._localStep;
  }

  /**
   * The shared SummaryWriter for summaryDir (undefined on a non-chief or without summaryDir): write
   * your own summaries with it (`session.writer?.histogram(…, session.globalStep)`). An injected
   * `writer` is returned as given.
   */
  get writer(): SummaryWriter | undefined {
    return this._writer as SummaryWriter | undefined;
  }

  get stopRequested(): boolean {
    return this.requests.length > 0;
  }

  get stopRequests(): readonly StopRequest[] {
    return this.requests;
  }

  /** True once a stop was requested (by a hook, the caller or a signal) or the session closed. */
  shouldStop(): boolean {
    return this.requests.length > 0 || this.closed || this.closing !== undefined;
  }

  /** Exit code the caller should use after a signal: 130 (SIGINT), 143 (SIGTERM); undefined without a signal. */
  get exitCodeForSignal(): number | undefined {
    return this.signal ? 128 + signalNumber(this.signal) : undefined;
  }

  /** The signal received, if any. */
  get receivedSignal(): NodeJS.Signals | undefined {
    return this.signal;
  }

  /** Aborted on hard abort (second signal): step functions may watch it. */
  get abortSignal(): AbortSignal {
    return this.abortController.signal;
  }

  /** Stable name of a hook (its `name`, or constructor name, suffixed `#2`… when repeated). */
  nameOf(hook: Hook): string {
    return this.names.get(hook) ?? hook.name ?? hook.constructor?.name ?? 'hook';
  }

  /**
   * The shared writer of `dir` (the session's own writer when `dir` is undefined). `dir` must not
   * contain NUL or `..` segments (a TbkitArgumentError naming `dir`): hooks pass their `outputDir`
   * here, and a name from a config file must not climb out of the log directory.
   */
  writerFor(dir?: string): WriterLike | undefined {
    if (dir !== undefined) checkDirPath('session.writerFor', dir, 'dir');
    return this.acquireWriter(dir);
  }

  private acquireWriter(dir: string | undefined): WriterLike | undefined {
    if (!this.isChief) return undefined;
    if (dir === undefined) return this._writer;
    const existing = this.acquired.find((w) => this.sameDir(w.logdir, dir));
    if (existing) return existing;
    const w = this.registry.acquire(dir);
    this.acquired.push(w);
    return w;
  }

  /** Writes a SessionLog START at `step` into `writer` once (SummarySaverHook and the session share it). */
  markSessionStart(writer: WriterLike, step: number): void {
    this.registry.markSessionStart(writer, step);
  }

  requestStop(reason?: string | StopRequestInit): void {
    const init: StopRequestInit = typeof reason === 'string' || reason === undefined ? { reason: reason ?? 'stop requested' } : reason;
    const source = init.source ?? (this.currentHook ? this.nameOf(this.currentHook) : 'user');
    this.requests.push({ reason: init.reason, kind: init.kind ?? 'stop_requested', source, globalStep: this._globalStep });
  }

  latestCheckpointStep(): number | undefined {
    return this.manager?.latestStepOnDisk();
  }

  /** Saves a checkpoint at the current global step (chief with a checkpointDir only; otherwise resolves undefined). */
  async saveCheckpoint(): Promise<string | undefined> {
    if (!this.isChief || !this.manager) return undefined;
    const run = async (): Promise<string> => {
      const hooks: Record<string, unknown> = {};
      for (const h of this.hooks) {
        if (h.state) hooks[this.nameOf(h)] = h.state();
      }
      return this.manager!.save(this._globalStep, { globalStep: this._globalStep, time: Date.now() / 1000, hooks }, this.checkpointer);
    };
    const p = this.saving.then(run, run);
    this.saving = p.catch(() => undefined);
    return p;
  }

  log(line: string): void {
    for (const h of this.hooks) {
      const sink = h as Hook & { isLogSink?: boolean; log?: (l: string) => void };
      if (sink.isLogSink === true && typeof sink.log === 'function') {
        sink.log(line);
        return;
      }
    }
    (this.opts.logger ?? console.log)(line);
  }

  /**
   * Runs one training step through the hooks. Returns the resolved values (requested by hooks or in
   * `opts.fetch`). Throws SessionStateError after a stop was requested or after close.
   */
  async run(fn: StepFn, opts: RunOptions = {}): Promise<RunValues> {
    if (this.closed || this.closing) throw new SessionStateError('run() called after the session was closed');
    if (this.requests.length > 0) {
      const why = this.requests.map((r) => `${r.source}: ${r.reason}`).join('; ');
      throw new SessionStateError(`run() called after a stop was requested (${why}); check session.shouldStop() before each run()`);
    }
    if (this.running) throw new SessionStateError('run() called while another run() is in progress; await each run() before the next');
    if (typeof fn !== 'function') throw new TypeError('run(fn): fn must be a function returning the step values');
    this.running = true;
    try {
      const values = await this.runStep(fn, opts);
      // A SIGINT/SIGTERM reaches us as an event-loop task. A loop whose steps resolve through
      // microtasks only (tfjs data(), synchronous models) would never let it run, and the stop would
      // wait for the next real I/O (e.g. a checkpoint save, steps later). One turn of the loop per
      // step (a few µs) lets a signal received during the step stop the session right after it.
      if (this.signalHandler) await new Promise<void>((resolve) => setImmediate(resolve));
      return values;
    } catch (e) {
      this.running = false;
      await this.closeInternal(e);
      throw e;
    } finally {
      this.running = false;
    }
  }

  private async runStep(fn: StepFn, opts: RunOptions): Promise<RunValues> {
    this._localStep++;
    const session = this;
    const stepBefore = this._globalStep;
    const requested = new Set<string>(opts.fetch ?? []);
    const stepValueNames = new Set<string>();
    const stepRequests: StopRequest[] = [];
    const ctx: StepContext = {
      session,
      globalStep: stepBefore,
      step: stepBefore + 1,
      localStep: this._localStep,
      endOfEpoch: opts.endOfEpoch === true,
      requestStop(reason?: string | StopRequestInit) {
        const before = session.requests.length;
        session.requestStop(reason);
        stepRequests.push(...session.requests.slice(before));
      },
      get stopRequested() {
        return session.requests.length > 0;
      },
      get stopRequests() {
        return stepRequests;
      },
      requested,
      stepValueNames,
    };

    for (const h of this.hooks) {
      if (!h.beforeRun) continue;
      const r = await this.callHook(h, () => h.beforeRun!(ctx));
      if (r === undefined || r === null) continue;
      if (typeof r === 'string') requested.add(r);
      else if (Array.isArray(r)) for (const n of r) requested.add(String(n));
      else throw new TypeError(`${this.nameOf(h)}.beforeRun must return value names (string[]), got ${typeof r}`);
    }

    const raw = await fn(ctx);
    const values: Record<string, LazyValue> =
      raw && typeof raw === 'object' ? (raw as Record<string, LazyValue>) : ({} as Record<string, LazyValue>);
    for (const k of Object.keys(values)) stepValueNames.add(k);
    const resolved: RunValues = {};
    const created: TensorLike[] = [];
    const all = requested.has('*');
    try {
      for (const name of Object.keys(values)) {
        if (all || requested.has(name)) resolved[name] = await resolveLazy(name, values[name], created);
      }
    } finally {
      if (this.opts.disposeValues ?? true) {
        const direct = Object.values(values).filter((v) => isTensorLike(v) || (v !== null && typeof v === 'object' && typeof (v as TensorLike).dispose === 'function'));
        disposeAll([...direct, ...created]);
        // Unrequested promises: dispose what they resolve to, and never leave a rejection unhandled.
        for (const [name, v] of Object.entries(values)) {
          if (!(all || requested.has(name)) && v instanceof Promise) v.then((x) => disposeAll([x]), () => undefined);
        }
      }
    }

    this._globalStep = stepBefore + 1;
    for (const h of this.hooks) {
      if (h.afterRun) await this.callHook(h, () => h.afterRun!(ctx, resolved));
    }
    return resolved;
  }

  /**
   * Ends the session: every hook's `end` (in hook order) with the reason, then flushes and closes the
   * writers. Pass `{ error }` when your own loop failed. Idempotent. Rejects with the errors `end`
   * hooks threw when there was no training error.
   */
  async close(opts: { error?: unknown } = {}): Promise<void> {
    if (this.running) throw new SessionStateError('close() called while run() is in progress; await it first');
    await this.closeInternal('error' in opts ? opts.error : undefined, 'error' in opts, true);
  }

  private endReason(error: unknown, hasError: boolean): EndReason {
    if (hasError) return error instanceof NanLossError ? 'nan' : 'error';
    if (this.requests.length === 0) return 'completed';
    let best = this.requests[0].kind;
    for (const r of this.requests) if (KIND_RANK[r.kind] > KIND_RANK[best]) best = r.kind;
    return best;
  }

  private closeInternal(error: unknown, hasError = true, throwEndErrors = false): Promise<void> {
    if (!this.closing) this.closing = this.doClose(error, hasError);
    return this.closing.then((endErrors) => {
      if (throwEndErrors && !hasError && endErrors.length > 0) {
        throw endErrors.length === 1 ? endErrors[0] : new AggregateError(endErrors, `${endErrors.length} hooks failed in end()`);
      }
    });
  }

  private async doClose(error: unknown, hasError: boolean): Promise<unknown[]> {
    const reason = this.endReason(error, hasError);
    const info: EndInfo = {
      reason,
      stopRequests: [...this.requests],
      ...(hasError ? { error } : {}),
      globalStep: this._globalStep,
      ...(this.signal ? { signal: this.signal } : {}),
    };
    this.endInfo = info;
    const endErrors: unknown[] = [];
    const report = this.opts.onHookError ?? ((e: unknown, hook: string, phase: string) => console.error(`tbkit: ${hook}.${phase} failed:`, e));
    for (const h of this.hooks) {
      if (!this.begun.has(h) || !h.end) continue;
      try {
        await this.callHook(h, () => h.end!(this, { ...info, globalStep: this._globalStep }));
      } catch (e) {
        endErrors.push(e);
        report(e, this.nameOf(h), 'end');
      }
    }
    const status = reason === 'error' || reason === 'nan' ? 'failure' : 'success';
    for (const w of this.acquired.splice(0)) {
      try {
        await this.registry.release(w, status);
      } catch (e) {
        endErrors.push(e);
        report(e, `writer(${w.logdir})`, 'close');
      }
    }
    this.uninstallSignals();
    this.closed = true;
    return endErrors;
  }

  // ---------------------------------------------------------------------------------------------

  private async callHook<T>(h: Hook, f: () => T | Promise<T>): Promise<T> {
    const prev = this.currentHook;
    this.currentHook = h;
    try {
      return await f();
    } finally {
      this.currentHook = prev;
    }
  }

  private sameDir(a: string, b: string): boolean {
    return path.resolve(a) === path.resolve(b);
  }

  private installSignals(): void {
    const handler = (sig: NodeJS.Signals): void => {
      this.signalCount++;
      if (this.signalCount === 1) {
        this.signal = sig;
        this.requestStop({ reason: `received ${sig}`, kind: 'interrupted', source: 'signal' });
        this.log(`tbkit: received ${sig}: finishing the current step, then stopping (send ${sig} again to abort)`);
        const grace = (this.opts.stopGracePeriodSecs ?? 120) * 1000;
        this.graceTimer = setTimeout(() => this.abort(sig, 'stopGracePeriodSecs elapsed'), grace);
        this.graceTimer.unref();
      } else {
        this.abort(sig, `second ${sig}`);
      }
    };
    this.signalHandler = handler;
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }

  private abort(sig: NodeJS.Signals, why: string): void {
    this.abortController.abort(new Error(`aborted: ${why}`));
    if (this.opts.onAbort) {
      this.opts.onAbort(sig);
      return;
    }
    console.error(`tbkit: aborting (${why})`);
    process.exit(128 + signalNumber(sig));
  }

  private uninstallSignals(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    if (this.signalHandler) {
      process.removeListener('SIGINT', this.signalHandler);
      process.removeListener('SIGTERM', this.signalHandler);
      this.signalHandler = undefined;
    }
  }
}
