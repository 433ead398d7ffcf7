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
  AudioOptions, AudioSamples, ImageOptions, ImageInput, RawImage, EmbeddingOptions, CustomScalarLayout, HparamsOptions,
  EndHparamsOptions, HparamsStatus, ExperimentConfig, HparamInfo, MetricInfo, HparamDomain, DatasetType, HparamValue,
} from './summary';
export * from './events';
export * from './session';
// The session's TensorLike (data/dataSync/dispose) and the writer's are the same duck type; export the session's.
export type { TensorLike } from './session';
export * from './hooks';
export { crc32c, maskedCrc32c, frameRecord, frameRecords, iterateRecordFile, readRecordsFromBuffer } from './record';
export type { RecordEntry, RecordProblemKind } from './record';
export { renderChart, renderChartGrid, svgToPng, smoothTensorBoard } from './chart';
export type { ChartPoint, ChartSeries, ChartOptions, RenderedChart } from './chart';
