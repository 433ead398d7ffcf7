/**
 * CRC-32C of a record that differs from a template only in a few bytes, without reading the rest.
 *
 * The CRC register after a message is affine in the message bits: crc(D) = crc(T) xor L(D xor T),
 * with L linear. So for a record D equal to a template T except at some positions (T has zeros
 * there), crc(D) = crc(T) xor the xor over those positions p of L(byte D[p] at p), and L of one
 * byte x followed by d more bytes is SHIFT[d][x]: the table-driven CRC step of x from a zero
 * register, then d zero bytes. A scalar Event of a given tag differs from its template only in the
 * wall time (8 bytes), the step (1–8) and the value (4), so its data CRC costs a dozen or two
 * table lookups instead of a pass over the whole record (events/scalar-record-template.ts).
 */
import { CRC32C_TABLES } from './masked-crc32c';

/** SHIFT[d * 256 + x]: the register contribution of byte x followed by d zero bytes. */
let shift = new Int32Array(0);
let rows = 0;

/**
 * The shift table with at least `n` rows (distances 0..n-1). A larger table is a new array holding
 * the old rows, so a reference taken earlier stays valid for the rows it had.
 */
export function shiftTable(n: number): Int32Array {
  if (n <= rows) return shift;
  const byte = CRC32C_TABLES; // row 0: one byte from a zero register
  const grown = new Int32Array(n * 256);
  grown.set(shift);
  for (let d = rows; d < n; d++) {
    for (let x = 0; x < 256; x++) {
      const c = d === 0 ? byte[x] : grown[(d - 1) * 256 + x];
      grown[d * 256 + x] = d === 0 ? c : byte[c & 0xff] ^ (c >>> 8);
    }
  }
  shift = grown;
  rows = n;
  return grown;
}
