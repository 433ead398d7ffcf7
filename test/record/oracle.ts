/**
 * The test oracle of src/record: TFRecord framing and reading written the plain way, with the
 * CRC from the crc-32 package, byte by byte and record by record. The fast record layer
 * (slicing-by-16, in-place CRCs, header comparison, chunked scanning) must agree with it on
 * everything: bytes, CRCs, records and problems. Not a test file itself.
 */
import * as CRC32C from 'crc-32/crc32c';
import type { RecordProblem, RecordProblemKind } from '../../src/record';

const MASK_DELTA = 0xa282ead8;

export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data, 0) >>> 0;
}

/** Rotate right by 15 bits, then add the delta (mod 2^32). */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32c(data));
}

/** `u64 LE length | u32 masked CRC(length bytes) | data | u32 masked CRC(data)` at `offset`. */
export function writeRecordInto(target: Buffer, offset: number, data: Uint8Array): number {
  const len = data.length;
  target.writeUInt32LE(len >>> 0, offset);
  target.writeUInt32LE(Math.floor(len / 0x100000000), offset + 4);
  target.writeUInt32LE(maskedCrc32c(target.subarray(offset, offset + 8)), offset + 8);
  target.set(data, offset + 12);
  target.writeUInt32LE(maskedCrc32c(data), offset + 12 + len);
  return offset + 16 + len;
}

export function frameRecords(records: readonly Uint8Array[]): Buffer {
  const out = Buffer.alloc(records.reduce((s, r) => s + r.length + 16, 0));
  let offset = 0;
  for (const r of records) offset = writeRecordInto(out, offset, r);
  return out;
}

function problem(kind: RecordProblemKind, file: string, offset: number, detail: string): RecordProblem {
  return { kind, file, offset, message: `${file}: ${detail} at byte offset ${offset}` };
}

/**
 * Every record of a whole file image, in file order, with the problems where they occur:
 * a short tail is 'truncated' and ends the read, a bad length CRC is 'corrupt-length' and ends
 * it, a bad data CRC is 'corrupt-data' and skips the record. `end`: after the last whole record.
 */
export function readAll(buf: Buffer, file: string): { records: Array<{ offset: number; data: Buffer }>; problems: RecordProblem[]; end: number } {
  const records: Array<{ offset: number; data: Buffer }> = [];
  const problems: RecordProblem[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf.length - pos < 12) {
      problems.push(problem('truncated', file, pos, `truncated record header (${buf.length - pos} of 12 bytes)`));
      return { records, problems, end: pos };
    }
    if (maskedCrc32c(buf.subarray(pos, pos + 8)) !== buf.readUInt32LE(pos + 8)) {
      problems.push(problem('corrupt-length', file, pos, 'length CRC mismatch (corrupt record header; the rest of the file cannot be read)'));
      return { records, problems, end: pos };
    }
    const len = buf.readUInt32LE(pos + 4) * 0x100000000 + buf.readUInt32LE(pos);
    if (pos + 16 + len > buf.length) {
      problems.push(problem('truncated', file, pos, `truncated record (header says ${len} data bytes, file has ${Math.max(0, buf.length - pos - 12)})`));
      return { records, problems, end: pos };
    }
    const data = buf.subarray(pos + 12, pos + 12 + len);
    if (maskedCrc32c(data) !== buf.readUInt32LE(pos + 12 + len)) {
      problems.push(problem('corrupt-data', file, pos, `data CRC mismatch (record of ${len} bytes skipped)`));
    } else {
      records.push({ offset: pos, data });
    }
    pos += 16 + len;
  }
  return { records, problems, end: pos };
}
