/**
 * CRC-32C (Castagnoli) as TFRecord uses it, with LevelDB's mask.
 *
 * The CRC itself comes from `crc-32/crc32c`; zlib's crc32 would be the wrong polynomial (IEEE).
 * The mask exists because a CRC stored next to the data it covers is itself CRC'd in some layers,
 * which would otherwise give degenerate results.
 */
import * as CRC32C from 'crc-32/crc32c';

const MASK_DELTA = 0xa282ead8;

/** Unsigned CRC-32C of `data`. */
export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data, 0) >>> 0;
}

/** Rotate right by 15 bits, then add the delta (mod 2^32). */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot << 15) | (rot >>> 17)) >>> 0;
}

export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32c(data));
}
