/** Stop requests and end reasons: how a hook asks the session to stop, and what every `end` is told. */

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
