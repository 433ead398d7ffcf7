/**
 * tbkit: TensorBoard event files and TF1-style MonitoredTrainingSession hooks for Node.js.
 *
 * This entry never loads tfjs: the writer, reader and harness work with any training loop, and
 * duck-type tensors (`data()`/`dataSync()`) where they accept them. The tfjs adapter (checkpoints
 * of a LayersModel + optimizer, backend selection) is the separate entry `tbkit/tfjs`.
 */
export {
  SummaryWriter, writeHparamsExperiment, TbkitArgumentError, computeBuckets, computePrCurve, encodeWav, encodePng, defaultGroupName,
} from './summary';
export type {
  SummaryWriterOptions, CloseOptions, ValueOptions, Step, ScalarValue, ArrayValue, HistogramOptions, RawHistogram, PrCurveOptions,
  AudioOptions, AudioSamples, ImageOptions, ImageInput, RawImage, EmbeddingOptions, CustomScalarLayout, TextOptions, HparamsOptions,
  EndHparamsOptions, HparamsStatus, ExperimentConfig, HparamInfo, MetricInfo, HparamDomain, DatasetType, HparamValue,
} from './summary';
export {
  EventFileWriter, EventWriteError, nextEventFileName, encodeEvent, validateStep, readEvents, decodeEvent,
  listRuns, readRun, readRunColumns, scalarOf,
} from './events';
export type {
  EventFileWriterOptions, WriterFs, EventInit, SummaryValueInit, DecodedEvent, SummaryValue, RecordProblem,
  RunInfo, ScalarPoint, ScalarColumns, TagInfo, RunData, RunColumnsData, RunHParams,
} from './events';
// The harness: the hook contract, the built-in hooks, the runner (MonitoredSession) and the factory.
export { SecondOrStepTimer, NeverTriggerTimer, NanLossError, SessionStateError } from './hook-contract';
export type {
  Hook, StepContext, SessionLike, EndReason, StopKind, StopRequestInit, StopRequest, EndInfo,
  LazyValue, StepValues, RunValues, RunRequest, WriterLike, Checkpointer, TimerOptions, TriggerTimer, TriggerOptions,
} from './hook-contract';
export {
  StopAtStepHook, SummarySaverHook, StepCounterHook, LoggingTensorHook, NanTensorHook, CheckpointSaverHook, FinalOpsHook,
  GlobalStepWaiterHook, ProgressBarHook, EarlyStoppingHook, ValidationHook,
} from './hooks';
export type {
  StopAtStepOptions, SummarySaverOptions, StepCounterOptions, LoggingTensorOptions, CheckpointSaverOptions, CheckpointSaverListener,
  GlobalStepWaiterOptions, ProgressBarOptions, EarlyStoppingOptions, EarlyStoppingState, ValidationOptions,
} from './hooks';
export { MonitoredSession, MonitoredTrainingSession, CheckpointManager, resolveLazy, disposeAll } from './session';
export type {
  MonitoredSessionOptions, MonitoredTrainingSessionOptions, RunOptions, StepFn,
  CheckpointIndex, CheckpointIndexEntry, SessionCheckpointState, RestoredCheckpoint,
} from './session';
export { WriterRegistry, defaultWriterRegistry, type WriterFactory } from './summary';
// The writer and the session accept the same duck-typed tensors (data/dataSync/dispose).
export { isTensorLike, type TensorLike } from './util';
export { crc32c, maskedCrc32c, frameRecord, frameRecords, iterateRecordFile, readRecordsFromBuffer } from './record';
export type { RecordEntry, RecordProblemKind } from './record';
export { renderChart, renderChartGrid, svgToPng, smoothTensorBoard } from './chart';
export type { ChartPoint, ChartSeries, ChartOptions, RenderedChart } from './chart';
export { groupRuns, aggregate, alignSeries, reduceGroups, describeValues, mean, sampleStd, meanInterval, welchDifference, tCritical, GroupingError } from './aggregate';
export type { GroupBy, GroupableRun, Grouping, RunGroup, TagAggregate, AlignedPoint, AlignedSeries, ValueStats, Interval, Difference, ReduceOptions, ReducedRun } from './aggregate';
