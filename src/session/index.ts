/**
 * The harness: MonitoredSession (the runner) and MonitoredTrainingSession (the factory adding the
 * default hooks), checkpoints, step value resolution. No tfjs import anywhere under src/session.
 */
export { MonitoredSession } from './monitored-session';
export { MonitoredTrainingSession, type MonitoredTrainingSessionOptions } from './monitored-training-session';
export type { MonitoredSessionOptions, RunOptions, StepFn } from './session-options';
export { CheckpointManager, type CheckpointIndex, type CheckpointIndexEntry, type SessionCheckpointState, type RestoredCheckpoint } from './checkpoint-manager';
export { resolveLazy, disposeAll } from './values';
