/**
 * MonitoredSession: the runner (TF1's MonitoredSession). It runs the hooks it is given, owns the
 * global step, resolves step values, restores and saves checkpoints, handles signals. It adds no
 * hook of its own: MonitoredTrainingSession is the factory that adds the default ones.
 *
 * Lifecycle (every hook call is awaited, one hook at a time, in hook order — see hook-list.ts):
 *   create():  begin(session) → restore latest checkpoint (global step, checkpointer, hook.loadState)
 *              → SessionLog START → afterCreateSession(session)
 *   run(fn):   beforeRun(ctx) for every hook (collects requested value names) → fn(ctx) → resolve ONLY
 *              requested values (`await v.data()` for tensor-likes) → dispose every tensor-like fn
 *              returned → globalStep += 1 → afterRun(ctx, values) for every hook
 *   close():   end(session, info) for every hook → flush/close writers.
 *
 * Errors: if the step function or a hook throws, `run()` runs every hook's `end` with reason 'error'
 * ('nan' for NanLossError), flushes and closes the writers, then rethrows the ORIGINAL error. Errors
 * thrown by `end` hooks are reported through `onHookError` (default console.error) and never mask it.
 *
 * Resume: the SessionLog START is written at `globalStep + 1` (the first step this session writes):
 * TensorBoard then drops every point the dead run wrote after the checkpoint and keeps the point of
 * the checkpointed step itself (TF1 writes it at `globalStep`, which also drops that point).
 */
import { NanLossError, SessionStateError } from '../hook-contract';
import type { Checkpointer, EndInfo, Hook, LazyValue, RunValues, SessionLike, StopRequest, StopRequestInit, WriterLike } from '../hook-contract';
import { checkDirPath, defaultWriterRegistry, type SummaryWriter } from '../summary';
import { CheckpointManager } from './checkpoint-manager';
import { HookList } from './hook-list';
import { SessionWriters } from './session-writers';
import { summaryDirOf, type MonitoredSessionOptions, type RunOptions, type StepFn } from './session-options';
import { SessionSignals } from './signals';
import { RunningStep } from './step-context';
import { StopRequests } from './stop-requests';
import { resolveStepValues } from './values';

export class MonitoredSession implements SessionLike {
  readonly isChief: boolean;
  readonly summaryDir: string | undefined;
  readonly checkpointDir: string | undefined;
  readonly checkpointer: Checkpointer | undefined;
  /** Step of the checkpoint restored at start (undefined when starting fresh). */
  restoredStep: number | undefined;
  /** Set by close(): why the session ended. */
  endInfo: EndInfo | undefined;

  private _globalStep = 0;
  private _localStep = 0;
  private _plannedLastStep: number | undefined;
  private logSink: ((line: string) => void) | undefined;
  private readonly hookList: HookList;
  private readonly stops: StopRequests;
  private readonly writers: SessionWriters;
  private readonly signals: SessionSignals;
  private readonly manager: CheckpointManager | undefined;
  private readonly opts: MonitoredSessionOptions;
  private running = false;
  private closing: Promise<unknown[]> | undefined;
  private closed = false;
  private saving: Promise<unknown> = Promise.resolve();

  protected constructor(opts: MonitoredSessionOptions) {
    this.opts = opts;
    this.isChief = opts.isChief ?? true;
    this.checkpointDir = opts.checkpointDir;
    this.summaryDir = summaryDirOf(opts);
    this.checkpointer = opts.checkpointer;
    this.manager = opts.checkpointDir ? new CheckpointManager(opts.checkpointDir, { keep: opts.keepCheckpoints }) : undefined;
    this.hookList = new HookList(opts.hooks ?? []);
    this.stops = new StopRequests(() => this.hookList.currentName ?? 'user', () => this._globalStep);
    this.writers = new SessionWriters(opts.writerRegistry ?? defaultWriterRegistry, this.isChief);
    this.signals = new SessionSignals(opts, (sig) => {
      this.requestStop({ reason: `received ${sig}`, kind: 'interrupted', source: 'signal' });
      this.log(`tbkit: received ${sig}: finishing the current step, then stopping (send ${sig} again to abort)`);
    });
  }

  /** Creates the session: begin → restore → SessionLog START → afterCreateSession. */
  static async create(opts: MonitoredSessionOptions = {}): Promise<MonitoredSession> {
    const session = new MonitoredSession(opts);
    await session.open();
    return session;
  }

  /** Starts the session; if that fails, ends the hooks that had begun and rethrows. */
  protected async open(): Promise<void> {
    try {
      await this.start();
    } catch (e) {
      await this.closeInternal(e);
      throw e;
    }
  }

  private async start(): Promise<void> {
    this.writers.open(this.summaryDir, this.opts.writer);
    await this.hookList.begin(this);
    const restored = this.manager ? await this.manager.restoreLatest(this.checkpointer) : undefined;
    if (restored) {
      this._globalStep = restored.state.globalStep ?? restored.step;
      this.restoredStep = this._globalStep;
      await this.hookList.loadStates(restored.state.hooks ?? {});
    }
    if (this.writers.main) this.writers.markSessionStart(this.writers.main, this._globalStep + 1);
    if (this.opts.handleSignals ?? true) this.signals.install();
    await this.hookList.afterCreateSession(this);
  }

  /** Hooks in call order. */
  get hooks(): readonly Hook[] {
    return this.hookList.hooks;
  }

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
   * `writer` is returned as given, typed as the SummaryWriter it stands in for.
   */
  get writer(): SummaryWriter | undefined {
    return this.writers.main as SummaryWriter | undefined;
  }

  get stopRequested(): boolean {
    return this.stops.any;
  }

  get stopRequests(): readonly StopRequest[] {
    return this.stops.all;
  }

  /** True once a stop was requested (by a hook, the caller or a signal) or the session closed. */
  shouldStop(): boolean {
    return this.stops.any || this.closed || this.closing !== undefined;
  }

  /** Exit code the caller should use after a signal: 130 (SIGINT), 143 (SIGTERM); undefined without a signal. */
  get exitCodeForSignal(): number | undefined {
    return this.signals.exitCode;
  }

  /** The signal received, if any. */
  get receivedSignal(): NodeJS.Signals | undefined {
    return this.signals.signal;
  }

  /** Aborted on hard abort (second signal): step functions may watch it. */
  get abortSignal(): AbortSignal {
    return this.signals.abortSignal;
  }

  /** Stable name of a hook (its `name`, or constructor name, suffixed `#2`… when repeated). */
  nameOf(hook: Hook): string {
    return this.hookList.nameOf(hook);
  }

  /**
   * The shared writer of `dir` (the session's own writer when `dir` is undefined). `dir` must not
   * contain NUL or `..` segments (a TbkitArgumentError naming `dir`): hooks pass their `outputDir`
   * here, and a name from a config file must not climb out of the log directory.
   */
  writerFor(dir?: string): WriterLike | undefined {
    if (dir !== undefined) checkDirPath('session.writerFor', dir, 'dir');
    return this.writers.writerFor(dir);
  }

  markSessionStart(writer: WriterLike, step: number): void {
    this.writers.markSessionStart(writer, step);
  }

  requestStop(reason?: string | StopRequestInit): void {
    this.stops.add(reason);
  }

  planLastStep(step: number): void {
    if (this._plannedLastStep === undefined || step < this._plannedLastStep) this._plannedLastStep = step;
  }

  get plannedLastStep(): number | undefined {
    return this._plannedLastStep;
  }

  registerLogSink(sink: (line: string) => void): void {
    this.logSink ??= sink;
  }

  log(line: string): void {
    (this.logSink ?? this.opts.logger ?? console.log)(line);
  }

  latestCheckpointStep(): number | undefined {
    return this.manager?.latestStepOnDisk();
  }

  /** Saves a checkpoint at the current global step (chief with a checkpointDir only; otherwise resolves undefined). */
  async saveCheckpoint(): Promise<string | undefined> {
    const manager = this.manager;
    if (!this.isChief || !manager) return undefined;
    // Saves queue up: two at once would race for the index file.
    const save = (): Promise<string> =>
      manager.save(this._globalStep, { globalStep: this._globalStep, time: Date.now() / 1000, hooks: this.hookList.states() }, this.checkpointer);
    const p = this.saving.then(save, save);
    this.saving = p.catch(() => undefined);
    return p;
  }

  /**
   * Runs one training step through the hooks. Returns the resolved values (requested by hooks or in
   * `opts.fetch`). Throws SessionStateError after a stop was requested or after close.
   */
  async run(fn: StepFn, opts: RunOptions = {}): Promise<RunValues> {
    if (this.closed || this.closing) throw new SessionStateError('run() called after the session was closed');
    if (this.stops.any) {
      throw new SessionStateError(`run() called after a stop was requested (${this.stops.describe()}); check session.shouldStop() before each run()`);
    }
    if (this.running) throw new SessionStateError('run() called while another run() is in progress; await each run() before the next');
    if (typeof fn !== 'function') throw new TypeError('run(fn): fn must be a function returning the step values');
    this.running = true;
    try {
      const values = await this.runStep(fn, opts);
      // A SIGINT/SIGTERM reaches us as an event-loop task. A loop whose steps resolve through
      // microtasks only (tfjs data(), synchronous models) would never let it run, and the stop would
      // wait for the next real I/O (e.g. a checkpoint save, steps later). One turn of the loop per
      // step lets a signal received during the step stop the session right after it.
      if (this.signals.installed) await new Promise<void>((resolve) => setImmediate(resolve));
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
    const ctx = new RunningStep(this, this.stops, this._globalStep, this._localStep, opts.endOfEpoch === true, opts.fetch);
    await this.hookList.beforeRun(ctx, ctx.requested);
    const raw = await fn(ctx);
    const values = raw && typeof raw === 'object' ? (raw as Record<string, LazyValue>) : {};
    for (const k of Object.keys(values)) ctx.stepValueNames.add(k);
    const resolved = await resolveStepValues(values, ctx.requested, this.opts.disposeValues ?? true);
    this._globalStep = ctx.step;
    await this.hookList.afterRun(ctx, resolved);
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

  private closeInternal(error: unknown, hasError = true, throwEndErrors = false): Promise<void> {
    if (!this.closing) this.closing = this.doClose(error, hasError);
    return this.closing.then((endErrors) => {
      if (throwEndErrors && !hasError && endErrors.length > 0) {
        throw endErrors.length === 1 ? endErrors[0] : new AggregateError(endErrors, `${endErrors.length} hooks failed in end()`);
      }
    });
  }

  private async doClose(error: unknown, hasError: boolean): Promise<unknown[]> {
    const reason = hasError ? (error instanceof NanLossError ? 'nan' : 'error') : this.stops.endReason();
    const signal = this.signals.signal;
    const info: EndInfo = {
      reason,
      stopRequests: [...this.stops.all],
      ...(hasError ? { error } : {}),
      globalStep: this._globalStep,
      ...(signal ? { signal } : {}),
    };
    this.endInfo = info;
    const report = this.opts.onHookError ?? ((e: unknown, hook: string, phase: string) => console.error(`tbkit: ${hook}.${phase} failed:`, e));
    const endErrors = await this.hookList.end(this, info, report);
    const status = reason === 'error' || reason === 'nan' ? 'failure' : 'success';
    endErrors.push(...(await this.writers.releaseAll(status, report)));
    this.signals.uninstall();
    this.closed = true;
    return endErrors;
  }
}
