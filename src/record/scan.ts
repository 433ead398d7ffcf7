/**
 * Scanning TFRecords: the one loop every reader runs (readRun, readEvents, iterateRecordFile).
 *
 * Both CRCs of every record are checked; problems go to `onProblem` (problem.ts), never thrown:
 * - a tail shorter than its header says → 'truncated' (the scan stops);
 * - a bad length CRC → 'corrupt-length' (the length cannot be trusted: the scan stops);
 * - a bad data CRC → 'corrupt-data' (that record is skipped; its verified length finds the next).
 * A length is never used to allocate memory before it is checked against the file size.
 *
 * For speed, the visitor gets (chunk, start, end, fileOffset) instead of a subarray per record,
 * valid only during the call, and the CRCs are taken in place.
 */
import * as fs from 'node:fs';
import { maskedCrc32cRange } from './masked-crc32c';
import { RECORD_OVERHEAD } from './frame';
import { recordProblem, type RecordProblem } from './problem';

// Local bindings: under CommonJS transpilation an imported name is read through an exports getter
// at every use, which costs measurably in a loop run for every record.
const maskedCrc = maskedCrc32cRange;
const OVERHEAD = RECORD_OVERHEAD;

const DEFAULT_CHUNK = 8 * 1024 * 1024;

/** Called for each valid record: its data is chunk[start, end), its header at `fileOffset`. */
export type RecordVisitor = (chunk: Buffer, start: number, end: number, fileOffset: number) => void;

export interface ScanOptions {
  /** Bytes read at a time (default 8 MiB); a record larger than this is read whole anyway. */
  chunkSize?: number;
  /** File offset of the first record to read (where an earlier read ended); default 0. */
  startOffset?: number;
}

export interface ScanResult {
  /** File offset after the last record scanned (visited or skipped): where scanning resumes. */
  end: number;
  /** A reported problem ended the scan: nothing after `end` can be read. */
  stopped: boolean;
  /** The framed size of the record at `end` if it runs past the chunk (0 otherwise): the next chunk must hold it. */
  recordSize: number;
}

/**
 * Scans the complete records in `buf`, whose first byte is at file offset `base` of a file of
 * `fileSize` bytes (which tells a truncated tail apart from a chunk boundary).
 */
export function scanRecords(
  buf: Buffer, base: number, fileSize: number, file: string, visit: RecordVisitor, onProblem: (p: RecordProblem) => void,
): ScanResult {
  const got = buf.length;
  // Header words through a DataView: one inlined unaligned load instead of four byte loads.
  const dv = new DataView(buf.buffer, buf.byteOffset, got);
  // The last header whose length CRC checked out. Records of one kind (a run's scalars) mostly
  // have the same length, hence byte-identical 12-byte headers: the same 8 bytes give the same
  // CRC, so an identical header is verified by comparison (exact, not a shortcut) and only a new
  // length costs a CRC.
  let okLo = -1, okHi = -1, okCrc = -1;
  let pos = 0;
  for (;;) {
    const at = base + pos;
    if (at >= fileSize) return { end: at, stopped: false, recordSize: 0 };
    if (got - pos < 12) {
      if (at + 12 <= fileSize) return { end: at, stopped: false, recordSize: 0 }; // the header straddles the chunk
      onProblem(recordProblem('truncated', file, at, `truncated record header (${fileSize - at} of 12 bytes)`));
      return { end: at, stopped: true, recordSize: 0 };
    }
    const lo = dv.getInt32(pos, true);
    const hi = dv.getInt32(pos + 4, true);
    const lcrc = dv.getUint32(pos + 8, true);
    if (lo !== okLo || hi !== okHi || lcrc !== okCrc) {
      if (maskedCrc(buf, pos, pos + 8) !== lcrc) {
        onProblem(recordProblem('corrupt-length', file, at, 'length CRC mismatch (corrupt record header; the rest of the file cannot be read)'));
        return { end: at, stopped: true, recordSize: 0 };
      }
      okLo = lo;
      okHi = hi;
      okCrc = lcrc;
    }
    const len = (hi >>> 0) * 0x100000000 + (lo >>> 0);
    if (at + OVERHEAD + len > fileSize) {
      onProblem(recordProblem('truncated', file, at, `truncated record (header says ${len} data bytes, file has ${Math.max(0, fileSize - at - 12)})`));
      return { end: at, stopped: true, recordSize: 0 };
    }
    const dEnd = pos + 12 + len;
    if (dEnd + 4 > got) return { end: at, stopped: false, recordSize: OVERHEAD + len };
    if (maskedCrc(buf, pos + 12, dEnd) !== dv.getUint32(dEnd, true)) {
      onProblem(recordProblem('corrupt-data', file, at, `data CRC mismatch (record of ${len} bytes skipped)`));
    } else {
      visit(buf, pos + 12, dEnd, at);
    }
    pos = dEnd + 4;
  }
}

/**
 * Reads `file` chunk by chunk and scans each chunk, yielding after every chunk (so that a
 * generator can hand out what the chunk held before the buffer is reused); returns the offset
 * after the last complete record. Throws only if the file cannot be opened or read.
 */
export function* scanFileChunks(
  file: string, visit: RecordVisitor, onProblem: (p: RecordProblem) => void, opts: ScanOptions = {},
): Generator<void, number> {
  const fd = fs.openSync(file, 'r');
  try {
    let size = fs.fstatSync(fd).size;
    let base = opts.startOffset ?? 0;
    let buf = Buffer.allocUnsafe(Math.max(16, Math.min(opts.chunkSize ?? DEFAULT_CHUNK, size - base)));
    while (base < size) {
      const want = Math.min(buf.length, size - base);
      const got = readFully(fd, buf, want, base);
      if (got < want) size = base + got; // the file shrank under us: what is missing now is a truncated tail
      const r = scanRecords(got === buf.length ? buf : buf.subarray(0, got), base, size, file, visit, onProblem);
      yield;
      if (r.stopped) return r.end;
      // One record larger than the buffer: grow it (the length was CRC-checked and fits in the file).
      if (r.recordSize > buf.length) buf = Buffer.allocUnsafe(r.recordSize);
      base = r.end;
    }
    return base;
  } finally {
    fs.closeSync(fd);
  }
}

/** Visits every valid record of `file`; returns the offset after the last complete record. */
export function scanRecordFile(file: string, visit: RecordVisitor, onProblem: (p: RecordProblem) => void, opts?: ScanOptions): number {
  const chunks = scanFileChunks(file, visit, onProblem, opts);
  for (;;) {
    const r = chunks.next();
    if (r.done) return r.value;
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
