/**
 * Event files: writing (EventFileWriter), reading (readEvents, readRun) and run discovery
 * (listRuns). The surface of src/events towards the other folders; src/index.ts picks the public names.
 */
export { EventFileWriter } from './event-file-writer';
export type { EventFileWriterOptions, WriterFs } from './writer-options';
export { EventWriteError } from './io-errors';
export { nextEventFileName } from './file-name';
export { encodeEvent } from './encode-event';
export type { EventInit, SummaryValueInit } from './encode-event';
export { ScalarRecordTemplates } from './scalar-record-template';
export { validateStep } from './step';
export { readEvents, decodeEvent } from './read-events';
export type { DecodedEvent, SummaryValue } from './read-events';
export type { RecordProblem } from './problems';
export { listRuns } from './logdir';
export type { RunInfo } from './logdir';
export { readRun, readRunColumns } from './runs/read-run';
export { scalarOf } from './runs/data-compat';
export { decodeHParamsPluginData } from './runs/hparams';
export type { ScalarPoint, ScalarColumns, TagInfo, RunData, RunColumnsData, RunHParams } from './runs/types';
