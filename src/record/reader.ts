/**
 * Reading TFRecords as entries: a generator over a file (in chunks, so a file larger than memory
 * can be read) and all records of an in-memory image. Both run the scanner of scan.ts, so they
 * check and report exactly what readRun does.
 */
import { scanFileChunks, scanRecords, type ScanOptions } from './scan';
import type { RecordProblem } from './problem';

export interface RecordEntry {
  /** The record's data; a view that is only valid until the iterator moves on. */
  data: Buffer;
  /** Byte offset of the record's header in the file. */
  offset: number;
}

/** All records of an in-memory file image, and its problems. */
export function readRecordsFromBuffer(buf: Buffer, file = '<buffer>'): { records: RecordEntry[]; problems: RecordProblem[] } {
  const records: RecordEntry[] = [];
  const problems: RecordProblem[] = [];
  scanRecords(buf, 0, buf.length, file, (b, start, end, offset) => records.push({ data: b.subarray(start, end), offset }), (p) => problems.push(p));
  return { records, problems };
}

/**
 * Streams the records of a file. Problems go to `onProblem`, in file order with the records; the
 * iteration itself never throws for bad content (it does throw if the file cannot be opened or
 * read). Returns the offset after the last complete record: where a follower resumes.
 */
export function* iterateRecordFile(
  file: string,
  onProblem: (p: RecordProblem) => void = () => {},
  opts: ScanOptions = {},
): Generator<RecordEntry, number> {
  // What one chunk held, handed out before the next chunk overwrites the buffer.
  const batch: Array<RecordEntry | RecordProblem> = [];
  const chunks = scanFileChunks(file, (b, start, end, offset) => batch.push({ data: b.subarray(start, end), offset }), (p) => batch.push(p), opts);
  try {
    for (;;) {
      const r = chunks.next();
      for (const e of batch) {
        if ('kind' in e) onProblem(e);
        else yield e;
      }
      batch.length = 0;
      if (r.done) return r.value;
    }
  } finally {
    chunks.return(0); // closes the file if the caller stopped early
  }
}
