/** Event files: writing (EventFileWriter), reading (readEvents, readRun) and run discovery (listRuns). */
export { EventFileWriter, nextEventFileName } from './event-file-writer';
export type { EventFileWriterOptions, EventInit, SummaryValueInit, WriterFs } from './event-file-writer';
export { encodeEvent } from './encode-event';
export { ScalarRecordTemplates } from './fast-scalar-record';
export { validateStep } from './step';
export { readEvents, decodeEvent } from './read-events';
export type { DecodedEvent, SummaryValue, RecordProblem } from './read-events';
export { listRuns } from './logdir';
export type { RunInfo } from './logdir';
export { readRun, readRunColumns, scalarOf } from './run-reader';
export type { ScalarPoint, ScalarColumns, TagInfo, RunData, RunColumnsData, RunHParams } from './run-reader';
export type { EventWriteError } from './io-errors';
export { decodeHParamsPluginData } from './hparams-decode';
