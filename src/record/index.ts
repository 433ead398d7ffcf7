/** TFRecord: framing, the masked CRC-32C, scanning and reading. The one record implementation. */
export { crc32c, crc32cRange, maskCrc, maskedCrc32c } from './masked-crc32c';
export { shiftTable } from './crc-shift';
export { RECORD_OVERHEAD, writeRecordInto, frameRecord, frameRecords } from './frame';
export type { RecordProblem, RecordProblemKind } from './problem';
export { scanRecordFile } from './scan';
export { readRecordsFromBuffer, iterateRecordFile } from './reader';
export type { RecordEntry } from './reader';
