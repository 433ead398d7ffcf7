export { crc32c, maskCrc, unmaskCrc, maskedCrc32c } from './crc32c';
export { RECORD_OVERHEAD, writeRecordInto, frameRecord, frameRecords } from './frame';
export { scanRecords, readRecordsFromBuffer, iterateRecordFile } from './reader';
export type { RecordEntry, RecordProblem, RecordProblemKind, ScanResult } from './reader';
