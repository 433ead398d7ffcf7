/**
 * Core types of the MonitoredTrainingSession hook contract.
 *
 * This module (and everything under src/session and src/hooks) never imports tfjs: the session
 * duck-types tensors (`data()` / `dataSync()` / `dispose()`), so any training loop can drive it.
 */
import type { TensorLike } from '../util';

export type { TensorLike };

/** Why a session ended. Passed to every hook's `end` inside {@link EndInfo}. */
export type EndReason =
  /** The run finished normally: StopAtStepHook reached its last step, or the caller closed without any stop request. */
  | 'completed'
  /** A hook or the caller asked to stop (see {@link EndInfo.stopRequests} for who and why). */
  | 'stop_requested'
  /** The step function, a hook or the caller threw (see {@link EndInfo.error}). */
  | 'error'
  /** A NaN/Inf loss was detected (NanTensorHook: thrown NanLossError, or a stop request of kind 'nan'). */
  | 'nan'
  /** SIGINT/SIGTERM (first signal) or an explicit `requestStop({ kind: 'interrupted' })`. */
  | 'interrupted';

/** Kind of a stop request; decides the end reason (interrupted > nan > stop_requested > completed). */
export type StopKind = 'completed' | 'stop_requested' | 'nan' | 'interrupted';

export interface StopRequestInit {
  /** Human-readable why. */
  reason: string;
  /** Default 'stop_requested'. */
  kind?: StopKind;
  /** Who asked; defaults to the name of the hook being called, or 'user' outside hooks. */
  source?: string;
}

export interface StopRequest {
  readonly reason: string;
  readonly kind: StopKind;
  readonly source: string;
  /** Global step (steps completed) when the request was made. */
  readonly globalStep: number;
}

export interface EndInfo {
  readonly reason: EndReason;
  /** Every stop request, in the order made (several hooks may ask in one step). */
  readonly stopRequests: readonly StopRequest[];
  /** The error that ended the run (reason 'error', or 'nan' when thrown). */
  readonly error?: unknown;
  /** Global step when `end` runs. */
  readonly globalStep: number;
  /** The signal that interrupted the run, if any. */
  readonly signal?: NodeJS.Signals;
}

/**
 * A value a step function may return under a name. It is only turned into a number when some hook
 * (or the caller, via `run(fn, { fetch })`) requested that name for this step:
 * - number / bigint: used as is;
 * - Promise: awaited;
 * - tensor-like: `await v.data()` (or `dataSync()`), must hold exactly one element;
 * - a function (thunk): called only when requested, its result resolved as above — use it for
 *   values that are expensive to compute, e.g. `acc: () => accuracy(batch)`.
 */
export type LazyValue =
  | number
  | bigint
  | boolean
  | TensorLike
  | Promise<number | bigint | boolean | TensorLike>
  | (() => number | bigint | boolean | TensorLike | Promise<number | bigint | boolean | TensorLike>);

/** What a step function returns: named lazy values (or nothing). */
export type StepValues = Record<string, LazyValue> | void | undefined;

/** Resolved values passed to `afterRun`. Shared by all hooks of one step, so producers (ValidationHook) can add to it. */
export type RunValues = Record<string, number>;

/** What `beforeRun` may return: names of values it needs this step ('*' = every value the step returns). */
export type RunRequest = readonly string[] | string | void | undefined | null;

/** The minimal writer surface the session and hooks use (implemented by src/summary SummaryWriter). */
export interface WriterLike {
  readonly logdir: string;
  scalar(tag: string, value: number, step: number | bigint, opts?: { wallTime?: number; description?: string }): void;
  addSessionStart(step: number | bigint): void;
  flush(): Promise<void>;
  close(opts?: { status?: 'success' | 'failure' }): Promise<void>;
}

/** User model / state save-restore adapter used for checkpoints. */
export interface Checkpointer {
  /** Writes the model/state into `dir` (which the caller treats as opaque). */
  save(dir: string): Promise<void>;
  /** Reads what `save` wrote. */
  restore(dir: string): Promise<void>;
}

/** Per-step context shared by every hook during one `run()`. */
export interface StepContext {
  /** The session running this step. */
  readonly session: SessionLike;
  /** Global step BEFORE this step (= steps completed so far). */
  readonly globalStep: number;
  /**
   * Global step AFTER this step (= globalStep + 1). Every built-in hook writes summaries and
   * triggers on this value: "the step that has just completed".
   */
  readonly step: number;
  /** Number of `run()` calls made by this process (1-based during the step). */
  readonly localStep: number;
  /** True when the caller marked this step as the last of an epoch (`run(fn, { endOfEpoch: true })`). */
  readonly endOfEpoch: boolean;
  /** Ask the session to stop after this step. All afterRun hooks of this step still run. */
  requestStop(reason?: string | StopRequestInit): void;
  readonly stopRequested: boolean;
  /** Requests made so far during this step. */
  readonly stopRequests: readonly StopRequest[];
  /** Names requested by the hooks for this step (filled after every beforeRun). */
  readonly requested: ReadonlySet<string>;
  /** Names the step function returned (filled once it returned; values not requested stay unresolved). */
  readonly stepValueNames: ReadonlySet<string>;
}

/** What a hook can see of the session (avoids a circular import on the concrete class). */
export interface SessionLike {
  readonly globalStep: number;
  readonly isChief: boolean;
  readonly writer: WriterLike | undefined;
  readonly summaryDir: string | undefined;
  readonly checkpointDir: string | undefined;
  readonly hooks: readonly Hook[];
  readonly stopRequested: boolean;
  readonly stopRequests: readonly StopRequest[];
  /** Shared writer for a directory (undefined on a non-chief or when no summaryDir is set and dir is omitted). */
  writerFor(dir?: string): WriterLike | undefined;
  requestStop(reason?: string | StopRequestInit): void;
  /** Saves a checkpoint at the current global step (chief only). Returns the checkpoint directory or undefined. */
  saveCheckpoint(): Promise<string | undefined>;
  /** Step of the newest checkpoint on disk (undefined if none). */
  latestCheckpointStep(): number | undefined;
  /** Prints a line (above the progress bar when a ProgressBarHook is installed). */
  log(line: string): void;
}

/**
 * A hook. Every method is optional and may be async; the session awaits them one at a time in
 * hook order (see MonitoredTrainingSession).
 */
export interface Hook {
  /** Stable name: key of `state()` in checkpoints, and `source` of stop requests. Default: constructor name. */
  readonly name?: string;
  /** Sort key (stable): producers -100, user hooks 0, summary/logging 100, checkpoint 1000. */
  readonly priority?: number;
  /** Called once before the session restores anything (globalStep not yet restored). */
  begin?(session: SessionLike): void | Promise<void>;
  /** Called once after restore: globalStep is final. */
  afterCreateSession?(session: SessionLike): void | Promise<void>;
  /** Called before the step function; return the names of values this hook needs this step. */
  beforeRun?(ctx: StepContext): RunRequest | Promise<RunRequest>;
  /** Called after the step with the resolved values (only names some hook requested). Not called for a step that threw. */
  afterRun?(ctx: StepContext, values: RunValues): void | Promise<void>;
  /** Called on every exit, once, in hook order. */
  end?(session: SessionLike, info: EndInfo): void | Promise<void>;
  /** JSON-serialisable state saved in checkpoints under `name`. */
  state?(): unknown;
  /** Restores what `state()` returned, before afterCreateSession. */
  loadState?(state: unknown): void | Promise<void>;
}
