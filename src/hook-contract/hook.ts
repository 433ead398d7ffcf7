/**
 * What a hook is (`Hook`), what it sees of one step (`StepContext`) and everything it may call on
 * the session (`SessionLike`): TF1's session_run_hook.py. Hook and SessionLike name each other, so
 * they share this file.
 */
import type { EndInfo, StopRequest, StopRequestInit } from './stop';
import type { RunRequest, RunValues } from './values';
import type { WriterLike } from './writer-like';

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

/** Everything a hook may call on the session (MonitoredSession implements it). */
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
  /**
   * Writes a SessionLog START at `step` into `writer`, once per writer and step however many hooks
   * ask (the session writes its own at `globalStep + 1`, SummarySaverHook into its own writer).
   */
  markSessionStart(writer: WriterLike, step: number): void;
  requestStop(reason?: string | StopRequestInit): void;
  /** Saves a checkpoint at the current global step (chief only). Returns the checkpoint directory or undefined. */
  saveCheckpoint(): Promise<string | undefined>;
  /** Step of the newest checkpoint on disk (undefined if none). */
  latestCheckpointStep(): number | undefined;
  /** Prints a line: through the registered log sink, else the session's logger. */
  log(line: string): void;
  /**
   * Routes `log` lines to `sink` from now on (ProgressBarHook prints them above its bar). The first
   * sink registered keeps them: two bars drawing one terminal would garble each other anyway.
   */
  registerLogSink(sink: (line: string) => void): void;
  /** Tells the session the last step this hook lets it run (StopAtStepHook, in afterCreateSession). */
  planLastStep(step: number): void;
  /** The earliest last step planned so far, undefined when no hook planned one (ProgressBarHook's total). */
  readonly plannedLastStep: number | undefined;
}

/**
 * A hook. Every method is optional and may be async; the session awaits them one at a time in
 * hook order (see MonitoredSession).
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
