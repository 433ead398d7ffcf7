/**
 * The hook contract (TF1's session_run_hook.py): what a hook is, what it sees of a step, what it
 * may call on the session, the trigger timer and the errors. Below both src/hooks and src/session.
 */
export type { Hook, StepContext, SessionLike } from './hook';
export type { EndReason, StopKind, StopRequestInit, StopRequest, EndInfo } from './stop';
export type { LazyValue, StepValues, RunValues, RunRequest } from './values';
export type { WriterLike } from './writer-like';
export type { Checkpointer } from './checkpointer';
export { SecondOrStepTimer, NeverTriggerTimer, type TimerOptions, type TriggerTimer, type TriggerOptions } from './timer';
export { NanLossError, SessionStateError } from './errors';
