/**
 * CRC-32C (Castagnoli) as TFRecord uses it, with LevelDB's mask: the CRC of every record's length
 * and of its data (RustBoard's masked_crc.rs, TensorFlow's lib/hash/crc32c.h). zlib's crc32 is
 * the wrong polynomial (IEEE).
 *
 * Why by hand, on (buf, start, end): the writer and the readers take two CRCs of every ~50-byte
 * scalar record, where a library call and a subarray view per CRC cost more than the CRC itself.
 * Why slicing-by-16 with DataView word loads: a scalar record's data is 40–55 bytes, so the block
 * loop runs 2–3 times; 16-byte blocks halve the loop-carried dependency on the register, and one
 * inlined unaligned 32-bit load replaces four bounds-checked byte loads and three shifts.
 * test/record/ checks every function here against the crc-32 package.
 */

const POLY = 0x82f63b78; // Castagnoli, reflected
const MASK_DELTA = 0xa282ead8;

/**
 * TABLES[t * 256 + n]: the CRC register contribution of byte n followed by t zero bytes
 * (t = 0..15); row 0 is the classic byte-at-a-time table.
 */
export const CRC32C_TABLES = new Int32Array(16 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  CRC32C_TABLES[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = CRC32C_TABLES[n];
  for (let t = 1; t < 16; t++) {
    c = CRC32C_TABLES[c & 0xff] ^ (c >>> 8);
    CRC32C_TABLES[t * 256 + n] = c;
  }
}

// DataView over the last buffer seen: readers and the writer call this over and over on the same
// chunk buffer, so the view is made once per buffer, not per call.
let dvBuf: Uint8Array | undefined;
let dv: DataView = new DataView(new ArrayBuffer(8));

/** Unsigned CRC-32C of b[start, end). */
export function crc32cRange(b: Uint8Array, start: number, end: number): number {
  if (b !== dvBuf) {
    dvBuf = b;
    dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  const T = CRC32C_TABLES;
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

/**
 * LevelDB's mask: rotate right by 15 bits, add a constant (mod 2^32). A CRC stored next to the
 * data it covers may itself be CRC'd by another layer, which would give degenerate results.
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** For tests: the inverse of maskCrc, the plain CRC-32C a stored (masked) CRC stands for. */
export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot << 15) | (rot >>> 17)) >>> 0;
}

/** The masked CRC-32C of b[start, end): what a TFRecord stores. */
export function maskedCrc32cRange(b: Uint8Array, start: number, end: number): number {
  return maskCrc(crc32cRange(b, start, end));
}

/** Unsigned CRC-32C of `data`. */
export function crc32c(data: Uint8Array): number {
  return crc32cRange(data, 0, data.length);
}

/** The masked CRC-32C of `data`. */
export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32cRange(data, 0, data.length));
}
