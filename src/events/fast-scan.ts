/**
 * A callback-style TFRecord scanner for bulk reading (readRun), same rules as `record/reader`:
 * - a tail shorter than its header says → 'truncated' (reading stops);
 * - a bad length CRC → 'corrupt-length' (the length cannot be trusted: reading stops);
 * - a bad data CRC → 'corrupt-data' (that record is skipped; the verified length finds the next one);
 * - a length is never used to allocate memory before it is checked against the file size.
 * Differences, for speed: no generator and no per-record subarray — the visitor gets
 * (chunk, start, end, fileOffset), valid only during the call — and CRCs are computed in place.
 */
import * as fs from 'node:fs';
import { maskedCrc32cRange } from './fast-crc32c';
import type { RecordProblem } from './read-events';

const CHUNK = 8 * 1024 * 1024;

// Local bindings: under CommonJS transpilation an imported function is read through an exports
// getter at every call, which costs measurably in a loop run twice per record.
const maskedCrc = maskedCrc32cRange;

export type RecordVisitor = (chunk: Buffer, start: number, end: number, fileOffset: number) => void;

function problem(kind: RecordProblem['kind'], file: string, offset: number, detail: string): RecordProblem {
  return { kind, file, offset, message: `${file}: ${detail} at byte offset ${offset}` };
}

/**
 * Visits every valid record of `file`; returns the offset after the last complete record.
 * Throws only if the file cannot be opened or read.
 */
export function scanRecordFile(file: string, visit: RecordVisitor, onProblem: (p: RecordProblem) => void, chunkSize = CHUNK): number {
  const fd = fs.openSync(file, 'r');
  try {
    let size = fs.fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(Math.max(16, Math.min(chunkSize, size)));
    // Header words through a DataView: one inlined unaligned load instead of four byte loads.
    let dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let base = 0; // file offset of buf[0]
    // The last header whose length CRC checked out. Records of one kind (a run's scalars) mostly
    // have the same length, hence byte-identical 12-byte headers: the same 8 bytes give the same
    // CRC, so an identical header is verified by comparison (exact, not a shortcut) and only a new
    // length costs a CRC. Saves one of the two CRCs of nearly every record.
    let okLo = -1, okHi = -1, okCrc = -1;
    while (base < size) {
      const want = Math.min(buf.length, size - base);
      let got = 0;
      while (got < want) {
        const n = fs.readSync(fd, buf, got, want - got, base + got);
        if (n === 0) break;
        got += n;
      }
      if (got < want) size = base + got; // the file shrank while we read it: stop at what exists
      let pos = 0;
      for (;;) {
        const at = base + pos;
        if (at >= size) return at;
        if (got - pos < 12) {
          if (at + 12 > size) {
            onProblem(problem('truncated', file, at, `truncated record header (${size - at} of 12 bytes)`));
            return at;
          }
          break; // header straddles the chunk: read on from `at`
        }
        const lo = dv.getInt32(pos, true);
        const hi = dv.getInt32(pos + 4, true);
        const lcrc = dv.getUint32(pos + 8, true);
        if (lo !== okLo || hi !== okHi || lcrc !== okCrc) {
          if (maskedCrc(buf, pos, pos + 8) !== lcrc) {
            onProblem(problem('corrupt-length', file, at, 'length CRC mismatch (corrupt record header; the rest of the file cannot be read)'));
            return at;
          }
          okLo = lo;
          okHi = hi;
          okCrc = lcrc;
        }
        const len = (hi >>> 0) * 0x100000000 + (lo >>> 0);
        if (at + 16 + len > size) {
          onProblem(problem('truncated', file, at, `truncated record (header says ${len} data bytes, file has ${Math.max(0, size - at - 12)})`));
          return at;
        }
        const dEnd = pos + 12 + len;
        if (dEnd + 4 > got) {
          // Record straddles the chunk (or is bigger than it): continue from its header, growing the
          // buffer if one record does not fit. Bounded by the file size, checked above.
          if (16 + len > buf.length) {
            buf = Buffer.allocUnsafe(16 + len);
            dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
          }
          break;
        }
        const dcrc = dv.getUint32(dEnd, true);
        if (maskedCrc(buf, pos + 12, dEnd) !== dcrc) {
          onProblem(problem('corrupt-data', file, at, `data CRC mismatch (record of ${len} bytes skipped)`));
        } else {
          visit(buf, pos + 12, dEnd, at);
        }
        pos = dEnd + 4;
      }
      base += pos;
    }
    return base;
  } finally {
    fs.closeSync(fd);
  }
}
