/**
 * tbkit: TensorBoard event files and TF1-style MonitoredTrainingSession hooks for Node.js.
 *
 * This entry never loads tfjs: the writer, reader and harness work with any training loop, and
 * duck-type tensors (`data()`/`dataSync()`) where they accept them. The tfjs adapter (checkpoints
 * of a LayersModel + optimizer, backend selection) is the separate entry `tbkit/tfjs`.
 */
export * from './summary';
export {
  EventFileWriter, EventWriteError, nextEventFileName, encodeEvent, validateStep, readEvents, decodeEvent,
  listRuns, readRun, readRunColumns, scalarOf,
} from './events';
export type {
  EventFileWriterOptions, WriterFs, EventInit, SummaryValueInit, DecodedEvent, SummaryValue, RecordProblem,
  RunInfo, ScalarPoint, ScalarColumns, TagInfo, RunData, RunColumnsData, RunHParams,
} from './events';
export * from './session';
// The session's TensorLike (data/dataSync/dispose) and the writer's are the same duck type; export the session's.
export type { TensorLike } from './session';
export * from './hooks';
export { crc32c, maskedCrc32c, frameRecord, frameRecords, iterateRecordFile, readRecordsFromBuffer } from './record';
export type { RecordEntry, RecordProblemKind } from './record';
export { renderChart, renderChartGrid, svgToPng, smoothTensorBoard } from './chart';
export type { ChartPoint, ChartSeries, ChartOptions, RenderedChart } from './chart';
