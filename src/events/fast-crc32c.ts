/**
 * CRC-32C over a byte range of a buffer, slicing-by-16, without creating a subarray.
 *
 * `record/crc32c` (crc-32 package) needs a view per call; for ~50-byte scalar records the view
 * allocation and call overhead cost more than the CRC itself (~200 ns for the two CRCs of a record),
 * which alone would cap the reader far below its 5 M events/s target. This version works on
 * (buf, start, end) directly. Verified against `record/crc32c` in test/events/fast-scalar.test.ts.
 *
 * Why slicing-by-16 and DataView word reads: a scalar record's data is 40–55 bytes, so the block
 * loop runs 2–3 times; 16-byte blocks halve the loop-carried dependency on `c`, and one inlined
 * unaligned 32-bit DataView load replaces four bounds-checked byte loads and three shifts.
 * Together ~30 % faster than slicing-by-8 over bytes on such records (measured best-of-10).
 */

const POLY = 0x82f63b78; // Castagnoli, reflected
/** TABLES[t * 256 + n]: CRC of byte n followed by t zero bytes (t = 0..15). */
const TABLES = new Int32Array(16 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLES[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = TABLES[n];
  for (let t = 1; t < 16; t++) {
    c = TABLES[c & 0xff] ^ (c >>> 8);
    TABLES[t * 256 + n] = c;
  }
}

// DataView over the last buffer seen: readers and the writer call this over and over on the same
// chunk buffer, so the view is made once per buffer, not per call.
let dvBuf: Uint8Array | undefined;
let dv: DataView = new DataView(new ArrayBuffer(8));

/** Unsigned CRC-32C of buf[start, end). */
export function crc32cRange(b: Uint8Array, start: number, end: number): number {
  if (b !== dvBuf) {
    dvBuf = b;
    dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  const T = TABLES;
  const v = dv;
  let c = -1;
  let i = start;
  const stop16 = end - 16;
  while (i <= stop16) {
    const x = c ^ v.getInt32(i, true);
    const y = v.getInt32(i + 4, true);
    const z = v.getInt32(i + 8, true);
    const w = v.getInt32(i + 12, true);
    c = T[3840 + (x & 0xff)] ^ T[3584 + ((x >>> 8) & 0xff)] ^ T[3328 + ((x >>> 16) & 0xff)] ^ T[3072 + (x >>> 24)] ^
      T[2816 + (y & 0xff)] ^ T[2560 + ((y >>> 8) & 0xff)] ^ T[2304 + ((y >>> 16) & 0xff)] ^ T[2048 + (y >>> 24)] ^
      T[1792 + (z & 0xff)] ^ T[1536 + ((z >>> 8) & 0xff)] ^ T[1280 + ((z >>> 16) & 0xff)] ^ T[1024 + (z >>> 24)] ^
      T[768 + (w & 0xff)] ^ T[512 + ((w >>> 8) & 0xff)] ^ T[256 + ((w >>> 16) & 0xff)] ^ T[w >>> 24];
    i += 16;
  }
  if (i <= end - 8) {
    const x = c ^ v.getInt32(i, true);
    const y = v.getInt32(i + 4, true);
    c = T[1792 + (x & 0xff)] ^ T[1536 + ((x >>> 8) & 0xff)] ^ T[1280 + ((x >>> 16) & 0xff)] ^ T[1024 + (x >>> 24)] ^
      T[768 + (y & 0xff)] ^ T[512 + ((y >>> 8) & 0xff)] ^ T[256 + ((y >>> 16) & 0xff)] ^ T[y >>> 24];
    i += 8;
  }
  if (i <= end - 4) {
    // 4 bytes consume all 32 bits of c: nothing of the old c is shifted through.
    const x = c ^ v.getInt32(i, true);
    c = T[768 + (x & 0xff)] ^ T[512 + ((x >>> 8) & 0xff)] ^ T[256 + ((x >>> 16) & 0xff)] ^ T[x >>> 24];
    i += 4;
  }
  while (i < end) c = T[(c ^ b[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** LevelDB mask: rotate right 15, add 0xA282EAD8 (mod 2^32). */
export function maskedCrc32cRange(b: Uint8Array, start: number, end: number): number {
  const c = crc32cRange(b, start, end);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
