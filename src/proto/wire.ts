/**
 * Protobuf wire-format varints, written and read by hand where protobufjs would cost more than the
 * work itself: the scalar encoder, the scalar Event decoder, small plugin payloads.
 *
 * Varints are little-endian groups of 7 bits, the high bit set on every byte but the last
 * (https://protobuf.dev/programming-guides/encoding/#varints). Numbers here are non-negative
 * integers up to 2^53 - 1 (exact in a double); int64 values beyond that are bigints.
 *
 * The readers return the value and leave the position after it in `wireCursor.at`: a decoder
 * reading one field after another then makes no result object per field.
 */

/** Bytes of the varint of `v`, a non-negative integer number ≤ 2^53 - 1. */
export function varintLength(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 4;
  for (let x = Math.floor(v / 0x10000000); x > 0; x = Math.floor(x / 128)) n++;
  return n;
}

/** Writes the varint of `v` (a non-negative integer number) at `buf[p]`; returns the position after it. */
export function writeVarint(buf: Uint8Array, p: number, v: number): number {
  while (v >= 128) {
    buf[p++] = (v & 127) | 128;
    v = Math.floor(v / 128);
  }
  buf[p++] = v;
  return p;
}

/** Appends the varint of `v` (a non-negative integer number) to `out`. */
export function pushVarint(out: number[], v: number): void {
  while (v >= 128) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Bytes of the varint of `v`, a non-negative bigint (an int64 beyond 2^53). */
export function varintLengthBig(v: bigint): number {
  let n = 1;
  while (v >= 128n) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** Writes the varint of `v` (a non-negative bigint) at `buf[p]`; returns the position after it. */
export function writeVarintBig(buf: Uint8Array, p: number, v: bigint): number {
  while (v >= 128n) {
    buf[p++] = Number(v & 127n) | 128;
    v >>= 7n;
  }
  buf[p++] = Number(v);
  return p;
}

/** Where the last read stopped (see the header). */
export const wireCursor = { at: 0 };

/**
 * A length varint at `b[p]`, before `end`: at most 4 bytes (< 2^28, far above any length the hand
 * decoders accept). -1 for a longer or cut-off varint.
 */
export function readLengthVarint(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  let x = b[p++];
  if (x < 0x80) {
    wireCursor.at = p;
    return x;
  }
  x &= 0x7f;
  for (let shift = 7; shift < 28; shift += 7) {
    if (p >= end) return -1;
    const c = b[p++];
    x |= (c & 0x7f) << shift;
    if (c < 0x80) {
      wireCursor.at = p;
      return x;
    }
  }
  return -1;
}

/** The length of a LEN field at `b[p]` (readLengthVarint) if its payload fits before `end`; -1 otherwise. */
export function readLengthField(b: Uint8Array, p: number, end: number): number {
  const len = readLengthVarint(b, p, end);
  return len < 0 || wireCursor.at + len > end ? -1 : len;
}

/**
 * An unsigned varint at `b[p]`, before `end`, of at most 8 bytes and at most 2^53 - 1; -1 for
 * anything else (larger, a negative int64's 10 bytes, cut off), so that the caller can fall back
 * to a general decoder. Past 2^53 the sum may round, but only upwards of the limit.
 */
export function readSafeVarint(b: Uint8Array, p: number, end: number): number {
  let x = 0, mul = 1;
  for (let i = 0; ; i++) {
    if (p >= end || i === 8) return -1;
    const c = b[p++];
    x += (c & 0x7f) * mul;
    if (c < 0x80) break;
    mul *= 128;
  }
  if (x > 9007199254740991) return -1;
  wireCursor.at = p;
  return x;
}

/** The position after the varint at `b[p]` (at most 10 bytes, before `end`); -1 if there is none. */
export function skipVarint(b: Uint8Array, p: number, end: number): number {
  for (let i = 0; i < 10; i++) {
    if (p >= end) return -1;
    if (b[p++] < 0x80) return p;
  }
  return -1;
}
