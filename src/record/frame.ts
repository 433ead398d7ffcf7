/**
 * TFRecord framing: `u64 LE length | u32 masked CRC-32C(length bytes) | data | u32 masked CRC-32C(data)`.
 *
 * A file is nothing but these records back to back; there is no header or footer.
 */
import { maskedCrc32c } from './crc32c';

/** Bytes a record adds around its data. */
export const RECORD_OVERHEAD = 16;

/**
 * Writes one framed record into `target` at `offset` and returns the offset after it.
 * `target` must have `data.length + RECORD_OVERHEAD` bytes free at `offset`.
 */
export function writeRecordInto(target: Buffer, offset: number, data: Uint8Array): number {
  const len = data.length;
  target.writeUInt32LE(len >>> 0, offset);
  target.writeUInt32LE(Math.floor(len / 0x100000000), offset + 4);
  target.writeUInt32LE(maskedCrc32c(target.subarray(offset, offset + 8)), offset + 8);
  target.set(data, offset + 12);
  target.writeUInt32LE(maskedCrc32c(data), offset + 12 + len);
  return offset + RECORD_OVERHEAD + len;
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
