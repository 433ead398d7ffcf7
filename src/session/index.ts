/** MonitoredTrainingSession and its hook contract (no tfjs import anywhere under src/session). */
export { MonitoredTrainingSession, type MonitoredTrainingSessionOptions, type RunOptions, type StepFn } from './monitored-session';
export { SecondOrStepTimer, NeverTriggerTimer, type TimerOptions, type TriggerTimer, type TriggerOptions } from './timer';
export { CheckpointManager, type CheckpointIndex, type CheckpointIndexEntry, type SessionCheckpointState, type RestoredCheckpoint } from './checkpoint-manager';
export { WriterRegistry, defaultWriterRegistry, type WriterFactory } from './writer-registry';
export { NanLossError, SessionStateError } from './errors';
export { resolveLazy, disposeAll, isTensorLike } from './values';
export type * from './types';
