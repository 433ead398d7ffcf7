/**
 * Reading TFRecord files: every record's two CRCs are checked, and problems are reported with
 * the file and byte offset instead of thrown, so that the good records before them are kept.
 *
 * - A tail shorter than its header says is "truncated": the writer may still be writing it.
 * - A bad length CRC means the length cannot be trusted: reading stops there.
 * - A bad data CRC skips that one record; its length was verified, so the next one is found.
 * A length is never used to allocate memory before it is checked against the file size.
 */
import * as fs from 'node:fs';
import { crc32c, maskCrc } from './crc32c';
import { RECORD_OVERHEAD } from './frame';

export type RecordProblemKind = 'truncated' | 'corrupt-length' | 'corrupt-data';

export interface RecordProblem {
  kind: RecordProblemKind;
  file: string;
  /** Byte offset of the record's header in the file. */
  offset: number;
  message: string;
}

export interface RecordEntry {
  /** The record's data; a view that is only valid until the iterator moves on. */
  data: Buffer;
  /** Byte offset of the record's header in the file. */
  offset: number;
}

export interface ScanResult {
  /** Offset just after the last complete, valid-length record: where a follower resumes. */
  end: number;
  problem?: RecordProblem;
}

function problem(kind: RecordProblemKind, file: string, offset: number, detail: string): RecordProblem {
  return { kind, file, offset, message: `${file}: ${detail} at byte offset ${offset}` };
}

/**
 * Scans the complete records in `buf` (whose first byte is at file offset `base`), calling
 * `onRecord` for each valid one. `fileSize` tells truncation apart from a chunk boundary.
 */
export function scanRecords(
  buf: Buffer,
  base: number,
  fileSize: number,
  file: string,
  onRecord: (data: Buffer, offset: number) => void,
  onProblem: (p: RecordProblem) => void,
): ScanResult {
  let pos = 0;
  while (pos < buf.length) {
    const at = base + pos;
    if (buf.length - pos < 12) {
      if (at + 12 > fileSize) return { end: at, problem: problem('truncated', file, at, `truncated record header (${fileSize - at} of 12 bytes)`) };
      return { end: at };
    }
    const lo = buf.readUInt32LE(pos);
    const hi = buf.readUInt32LE(pos + 4);
    const lengthCrc = buf.readUInt32LE(pos + 8);
    if (maskCrc(crc32c(buf.subarray(pos, pos + 8))) !== lengthCrc) {
      return { end: at, problem: problem('corrupt-length', file, at, 'length CRC mismatch (corrupt record header; the rest of the file cannot be read)') };
    }
    const len = hi * 0x100000000 + lo;
    if (at + RECORD_OVERHEAD + len > fileSize) {
      return { end: at, problem: problem('truncated', file, at, `truncated record (header says ${len} data bytes, file has ${Math.max(0, fileSize - at - 12)})`) };
    }
    if (pos + RECORD_OVERHEAD + len > buf.length) return { end: at };
    const data = buf.subarray(pos + 12, pos + 12 + len);
    const dataCrc = buf.readUInt32LE(pos + 12 + len);
    if (maskCrc(crc32c(data)) !== dataCrc) {
      onProblem(problem('corrupt-data', file, at, `data CRC mismatch (record of ${len} bytes skipped)`));
    } else {
      onRecord(data, at);
    }
    pos += RECORD_OVERHEAD + len;
  }
  return { end: base + pos };
}

/** All records of an in-memory file image. */
export function readRecordsFromBuffer(buf: Buffer, file = '<buffer>'): { records: RecordEntry[]; problems: RecordProblem[] } {
  const records: RecordEntry[] = [];
  const problems: RecordProblem[] = [];
  const r = scanRecords(buf, 0, buf.length, file, (data, offset) => records.push({ data, offset }), (p) => problems.push(p));
  if (r.problem) problems.push(r.problem);
  return { records, problems };
}

const DEFAULT_CHUNK = 8 * 1024 * 1024;

/**
 * Streams the records of a file in chunks, so a file larger than memory can be read.
 * Problems go to `onProblem`; the iteration itself never throws for bad content
 * (it does throw if the file cannot be opened or read).
 */
export function* iterateRecordFile(
  file: string,
  onProblem: (p: RecordProblem) => void = () => {},
  opts: { chunkSize?: number; startOffset?: number } = {},
): Generator<RecordEntry, number> {
  const fd = fs.openSync(file, 'r');
  try {
    let fileSize = fs.fstatSync(fd).size;
    const chunkSize = Math.max(64, opts.chunkSize ?? DEFAULT_CHUNK);
    let base = opts.startOffset ?? 0;
    let buf = Buffer.allocUnsafe(Math.min(chunkSize, Math.max(fileSize - base, 0)) || 1);
    while (base < fileSize) {
      const want = Math.min(Math.max(chunkSize, buf.length), fileSize - base);
      if (buf.length < want) buf = Buffer.allocUnsafe(want);
      const got = readFully(fd, buf, want, base);
      // The file shrank under us: what is missing now is a truncated tail, not a chunk boundary.
      if (got < want) fileSize = base + got;
      // Records and problems are handed out in file order.
      const batch: Array<RecordEntry | RecordProblem> = [];
      const r = scanRecords(buf.subarray(0, got), base, fileSize, file, (data, offset) => batch.push({ data, offset }), (p) => batch.push(p));
      for (const e of batch) {
        if ('kind' in e) onProblem(e);
        else yield e;
      }
      if (r.problem) {
        onProblem(r.problem);
        return r.end;
      }
      if (r.end === base) {
        // One record is larger than the chunk: grow the buffer to hold it (its length was CRC-checked
        // and fits in the file, so this allocation is bounded by the file size).
        const lo = buf.readUInt32LE(0);
        const hi = buf.readUInt32LE(4);
        buf = Buffer.allocUnsafe(hi * 0x100000000 + lo + RECORD_OVERHEAD);
        continue;
      }
      base = r.end;
    }
    return base;
  } finally {
    fs.closeSync(fd);
  }
}

function readFully(fd: number, buf: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}
