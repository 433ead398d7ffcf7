/**
 * TFRecord framing: `u64 LE length | u32 masked CRC-32C(length bytes) | data | u32 masked CRC-32C(data)`.
 *
 * A file is nothing but these records back to back; there is no header or footer. The writer
 * frames every event here, so the CRCs are taken in place (no subarray views) and small payloads
 * are copied with a loop, which is cheaper than a `set()` call for them.
 */
import { maskedCrc32cRange } from './masked-crc32c';

// Local binding: under CommonJS transpilation an imported function is read through an exports
// getter at every call.
const maskedCrc = maskedCrc32cRange;

/** Bytes a record adds around its data. */
export const RECORD_OVERHEAD = 16;

function putU32(t: Uint8Array, o: number, v: number): void {
  t[o] = v & 0xff;
  t[o + 1] = (v >>> 8) & 0xff;
  t[o + 2] = (v >>> 16) & 0xff;
  t[o + 3] = v >>> 24;
}

/**
 * Writes one framed record into `target` at `offset` and returns the offset after it.
 * `target` must have `data.length + RECORD_OVERHEAD` bytes free at `offset`.
 */
export function writeRecordInto(target: Uint8Array, offset: number, data: Uint8Array): number {
  const len = data.length;
  putU32(target, offset, len >>> 0);
  putU32(target, offset + 4, Math.floor(len / 0x100000000));
  putU32(target, offset + 8, maskedCrc(target, offset, offset + 8));
  const d = offset + 12;
  if (len < 128) {
    for (let i = 0; i < len; i++) target[d + i] = data[i];
  } else {
    target.set(data, d);
  }
  putU32(target, d + len, maskedCrc(target, d, d + len));
  return d + len + 4;
}

/** One framed record as a new buffer. */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(data.length + RECORD_OVERHEAD);
  writeRecordInto(out, 0, data);
  return out;
}

/** Frames several records into one buffer, so that they reach the disk in a single write. */
export function frameRecords(records: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const r of records) size += r.length + RECORD_OVERHEAD;
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const r of records) offset = writeRecordInto(out, offset, r);
  return out;
}
