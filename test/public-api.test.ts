/**
 * The public API, pinned: every name `tbkit` and `tbkit/tfjs` exported when the layout was
 * renovated must stay exported (deprecate, do not break). New names may be added freely.
 * The type names are checked by the compiler: test/public-api-types.ts imports each of them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';

const MAIN_VALUES = [
  'CheckpointManager',
  'CheckpointSaverHook',
  'EarlyStoppingHook',
  'EventFileWriter',
  'FinalOpsHook',
  'GlobalStepWaiterHook',
  'LoggingTensorHook',
  'MonitoredTrainingSession',
  'NanLossError',
  'NanTensorHook',
  'NeverTriggerTimer',
  'ProgressBarHook',
  'SecondOrStepTimer',
  'SessionStateError',
  'StepCounterHook',
  'StopAtStepHook',
  'SummarySaverHook',
  'SummaryWriter',
  'TbkitArgumentError',
  'ValidationHook',
  'WriterRegistry',
  'computeBuckets',
  'computePrCurve',
  'crc32c',
  'decodeEvent',
  'defaultGroupName',
  'defaultWriterRegistry',
  'disposeAll',
  'encodeEvent',
  'encodePng',
  'encodeWav',
  'frameRecord',
  'frameRecords',
  'isTensorLike',
  'iterateRecordFile',
  'listRuns',
  'maskedCrc32c',
  'nextEventFileName',
  'readEvents',
  'readRecordsFromBuffer',
  'readRun',
  'readRunColumns',
  'renderChart',
  'renderChartGrid',
  'resolveLazy',
  'scalarOf',
  'smoothTensorBoard',
  'svgToPng',
  'validateStep',
  'writeHparamsExperiment',
];

const TFJS_VALUES = [
  'BackendUnavailableError',
  'SessionCallback',
  'TensorBoardCallback',
  'TfjsCheckpointer',
  'fileLoadHandler',
  'fileSaveHandler',
  'fuseBatchNormTraining',
  'lazyScalar',
  'registerWasmTrainingKernels',
  'scalarValue',
  'scalarValues',
  'selectBackend',
  'sessionCallback',
  'setWasmThreads',
  'tensorBoard',
  'wasmThreadCount',
];

test('tbkit keeps every exported value', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tbkit = require('../src/index') as Record<string, unknown>;
  const missing = MAIN_VALUES.filter((n) => tbkit[n] === undefined);
  assert.deepEqual(missing, []);
});

test('tbkit/tfjs keeps every exported value', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tfjs = require('../src/tfjs/index') as Record<string, unknown>;
  const missing = TFJS_VALUES.filter((n) => tfjs[n] === undefined);
  assert.deepEqual(missing, []);
});
