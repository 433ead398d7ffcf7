/**
 * Tag bytes → per-tag state for the bulk reader, without decoding a string per event: a small
 * open-addressing table indexed by a cheap hash of the tag's UTF-8 bytes, verified byte by byte.
 * A miss returns undefined and the caller decodes the string and goes through its Map, so files with
 * many tags stay correct, just slower. (The reader first tries its "next tag" guess, see read-run.ts.)
 */

const SLOTS = 256;
const PROBES = 4;

/** True if `bytes` equals b[start, end). */
export function sameBytes(bytes: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  if (bytes.length !== n) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== b[start + i]) return false;
  return true;
}

// DataView over the last buffer compared (the reader's chunk buffer: made once per chunk).
let dvBuf: Uint8Array | undefined;
let dv: DataView = new DataView(new ArrayBuffer(8)) as DataView;

/**
 * A tag's UTF-8 bytes, kept as 32-bit words so that comparing it with bytes in a buffer takes
 * ⌈n/4⌉ word loads instead of n byte loads. The reader compares every scalar event's tag: byte by
 * byte (sameBytes) that comparison is a measurable part of readRunColumns' time.
 */
export class TagKey {
  readonly length: number;
  /** Little-endian words of bytes [4k, 4k + 4) for every whole word. */
  private readonly words: Int32Array;
  /** The last 4 bytes as a word (overlapping the last whole word) when length ≥ 4 is not a multiple of 4. */
  private readonly tail: number;
  /** The bytes themselves, for tags shorter than 4 bytes. */
  private readonly bytes: Uint8Array;

  constructor(b: Uint8Array, start: number, end: number) {
    const n = end - start;
    this.length = n;
    this.bytes = b.slice(start, end);
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset, n);
    this.words = new Int32Array(n >> 2);
    for (let k = 0; k < this.words.length; k++) this.words[k] = v.getInt32(4 * k, true);
    this.tail = n >= 4 ? v.getInt32(n - 4, true) : 0;
  }

  /** True if b[start, end) are exactly this tag's bytes. */
  matches(b: Uint8Array, start: number, end: number): boolean {
    const n = this.length;
    if (end - start !== n) return false;
    if (n < 4) {
      const x = this.bytes;
      for (let i = 0; i < n; i++) if (x[i] !== b[start + i]) return false;
      return true;
    }
    if (b !== dvBuf) {
      dvBuf = b;
      dv = new DataView(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
    }
    const w = this.words;
    const whole = w.length;
    for (let k = 0; k < whole; k++) if (dv.getInt32(start + 4 * k, true) !== w[k]) return false;
    return (n & 3) === 0 || dv.getInt32(end - 4, true) === this.tail;
  }
}

function hash(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  return n === 0 ? 0 : n * 31 + b[start] * 7 + b[end - 1] * 3 + b[start + (n >> 1)];
}

export class TagCache<T> {
  private readonly keys: Array<Uint8Array | undefined> = new Array(SLOTS).fill(undefined);
  private readonly values: Array<T | undefined> = new Array(SLOTS).fill(undefined);

  get(b: Uint8Array, start: number, end: number): T | undefined {
    const h = hash(b, start, end);
    for (let k = 0; k < PROBES; k++) {
      const slot = (h + k) & (SLOTS - 1);
      const key = this.keys[slot];
      if (key === undefined) return undefined; // slots fill in probe order: nothing further on
      if (sameBytes(key, b, start, end)) return this.values[slot];
    }
    return undefined;
  }

  /** Remembers b[start, end) → value in a free slot of its probe sequence, else in its first slot. */
  set(b: Uint8Array, start: number, end: number, value: T): void {
    const h = hash(b, start, end);
    let slot = h & (SLOTS - 1);
    for (let k = 0; k < PROBES; k++) {
      const s = (h + k) & (SLOTS - 1);
      if (this.keys[s] === undefined) {
        slot = s;
        break;
      }
    }
    this.keys[slot] = new Uint8Array(b.subarray(start, end)); // a copy: the chunk buffer is reused
    this.values[slot] = value;
  }
}
