/** Built-in hooks (one file each; every file documents exactly when its hook fires). */
export { StopAtStepHook, type StopAtStepOptions } from './stop-at-step';
export { SummarySaverHook, type SummarySaverOptions } from './summary-saver';
export { StepCounterHook, type StepCounterOptions } from './step-counter';
export { LoggingTensorHook, type LoggingTensorOptions } from './logging-tensor';
export { NanTensorHook } from './nan-tensor';
export { CheckpointSaverHook, type CheckpointSaverOptions, type CheckpointSaverListener } from './checkpoint-saver';
export { FinalOpsHook } from './final-ops';
export { GlobalStepWaiterHook, type GlobalStepWaiterOptions } from './global-step-waiter';
export { ProgressBarHook, type ProgressBarOptions } from './progress-bar';
export { EarlyStoppingHook, type EarlyStoppingOptions, type EarlyStoppingState } from './early-stopping';
export { ValidationHook, type ValidationOptions } from './validation';
