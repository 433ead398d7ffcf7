/** Summary writers: one SummaryWriter per run directory, every TensorBoard summary type. */
export { SummaryWriter, writeHparamsExperiment } from './summary-writer';
export type {
  SummaryWriterOptions, ValueOptions, CloseOptions, HparamsStatus, HistogramOptions, ImageOptions, AudioOptions,
  PrCurveOptions, EmbeddingOptions, HparamsOptions, EndHparamsOptions,
  ExperimentConfig, HparamInfo, MetricInfo, HparamDomain, HparamValue, DatasetType, RawHistogram, ImageInput, RawImage,
  AudioSamples, CustomScalarLayout,
} from './summary-writer';
export { TbkitArgumentError } from './validate';
export type { Step } from './validate';
export type { ScalarValue, ArrayValue, TensorLike } from './values';
export { computeBuckets } from './histogram';
export { computePrCurve } from './pr-curve';
export { encodeWav } from './audio';
export { encodePng } from './image';
export { defaultGroupName } from './hparams';
export { WriterRegistry, defaultWriterRegistry, settleWriterIo, type WriterFactory } from './writer-cache';
export { checkDirPath } from './validate';
