/**
 * tbkit: TensorBoard event files and TF1-style MonitoredTrainingSession hooks for Node.js.
 *
 * This entry never loads tfjs: the writer, reader and harness work with any training loop, and
 * duck-type tensors (`data()`/`dataSync()`) where they accept them. The tfjs adapter (checkpoints
 * of a LayersModel + optimizer, backend selection) is the separate entry `tbkit/tfjs`.
 */
export * from './summary';
export * from './events';
export * from './session';
// The session's TensorLike (data/dataSync/dispose) and the writer's are the same duck type; export the session's.
export type { TensorLike } from './session';
export * from './hooks';
export { crc32c, maskedCrc32c, frameRecord, frameRecords, iterateRecordFile, readRecordsFromBuffer } from './record';
export type { RecordEntry, RecordProblemKind } from './record';
export { renderChart, renderChartGrid, svgToPng, smoothTensorBoard } from './chart';
export type { ChartPoint, ChartSeries, ChartOptions, RenderedChart } from './chart';
export { groupRuns, aggregate, alignSeries, reduceGroups, describeValues, mean, sampleStd, meanInterval, welchDifference, tCritical, GroupingError } from './aggregate';
export type { GroupBy, GroupableRun, Grouping, RunGroup, TagAggregate, AlignedPoint, AlignedSeries, ValueStats, Interval, Difference, ReduceOptions, ReducedRun } from './aggregate';
