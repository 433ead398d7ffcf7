/**
 * The writer's scalar fast path: a framed scalar Event record written from a per-tag template.
 *
 * For one tag and one step-varint length, every byte of the framed record is fixed except the wall
 * time, the step and the float value:
 *
 *   <len u64> <len crc> | 09 <f64 wall> 10 <step varint> <suffix: 2a <len> Summary …<f32>… [meta]> | <data crc>
 *
 * so the record is the template's bytes (copied, or still in place from an earlier batch: see
 * `finish` and pending-records.ts), those three fields stored, the length CRC taken from the
 * template and the data CRC computed from the changed bytes only (record/crc-shift.ts): the wall
 * time's part cached while it is unchanged, the step's 1–3 bytes and the value's 4 looked up. (The
 * step's part cannot be shared by the tags logged at one step: a byte's contribution depends on its
 * distance to the end of the record, which differs per tag.) The bytes are the ones
 * `ScalarEncoder.encode` + `writeRecordInto` produce (test/events/scalar-record-template.test.ts and
 * test/summary/scalar-steady.test.ts compare them); only events with a wall time ≠ 0 and a number
 * step ≥ 1 take this path (the others omit a field and go the general way).
 */
import { crc32cRange, maskCrc, shiftTable } from '../record';
import { varintLength } from '../proto';

/** Longest record data handled here (longer tags take the general path: the shift table grows with it). */
const MAX_DATA = 1024;

/** One tag's framed scalar record for one step-varint length. */
export class ScalarRecordTemplate {
  /** Framed size: 12 header bytes, the data, 4 CRC bytes. */
  readonly size: number;
  /** Header and data (zeros at the wall time, step and value). */
  private readonly bytes: Uint8Array;
  private readonly dataLen: number;
  private readonly stepLen: number;
  /** Offset of the f32 value in the data. */
  readonly valueAt: number;
  /** CRC-32C of the template's data (variable bytes zero). */
  private readonly crcBase: number;
  private readonly shift: Int32Array;
  /** Shift-table rows of the first step byte (data offset 10) and of the value's first byte. */
  private readonly stepRow: number;
  private readonly valueRow: number;
  /**
   * The bits of the wall time last written with this template (two int32 halves: plain int
   * fields, no boxed double) and crcBase xor their CRC contribution. With a coarse clock the wall
   * time changes about once per millisecond, i.e. once per thousands of records, so its 8 bytes
   * cost two comparisons instead of 8 table lookups.
   */
  private wallLo = 0;
  private wallHi = 0;
  private wallBase: number;

  /** `suffix`: the data after the step field, with the f32 at `suffixValueAt` (its bytes ignored). */
  constructor(suffix: Uint8Array, suffixValueAt: number, stepLen: number) {
    const dataLen = 10 + stepLen + suffix.length;
    this.dataLen = dataLen;
    this.stepLen = stepLen;
    this.valueAt = 10 + stepLen + suffixValueAt;
    this.size = dataLen + 16;
    const rec = new Uint8Array(12 + dataLen);
    const dv = new DataView(rec.buffer);
    dv.setUint32(0, dataLen, true);
    rec[12] = 0x09;
    rec[12 + 9] = 0x10;
    rec.set(suffix, 12 + 10 + stepLen);
    rec.fill(0, 12 + this.valueAt, 12 + this.valueAt + 4);
    dv.setUint32(8, maskCrc(crc32cRange(rec, 0, 8)), true);
    this.crcBase = crc32cRange(rec, 12, 12 + dataLen) | 0;
    this.wallBase = this.crcBase; // wall bits 0 contribute nothing
    this.bytes = rec;
    this.shift = shiftTable(dataLen);
    this.stepRow = (dataLen - 1 - 10) * 256;
    this.valueRow = (dataLen - 1 - this.valueAt) * 256;
  }

  /**
   * Writes the record at `off` of `buf` (`view` is a DataView of `buf`; `size` bytes must be free)
   * and returns the offset after it. `step` must have `stepLen` varint bytes, `wall` must be ≠ 0.
   * For tests: a whole record in one call (the writer copies and finishes in separate steps).
   */
  write(view: DataView, buf: Uint8Array, off: number, wall: number, step: number, value: number): number {
    this.copyTo(buf, off);
    view.setFloat64(off + 13, wall, true);
    view.setFloat32(off + 12 + this.valueAt, value, true);
    return this.finish(view, buf, off, step);
  }

  /** Copies the template's bytes (variable fields zero, no CRC) to `off` of `buf`. */
  copyTo(buf: Uint8Array, off: number): void {
    // One set() (a memcpy): measured faster overall than storing the template as 32-bit words.
    buf.set(this.bytes, off);
  }

  /**
   * Completes a record at `off` that holds this template's constant bytes and, already stored by
   * the caller, the wall time (data offset 1, f64) and the value (data offset `valueAt`, f32):
   * stores the step and the data CRC, returns the offset after the record. The caller stores the
   * two doubles itself so that no double crosses a call that V8 may not inline (it would be boxed).
   * The writer reuses its pending buffer batch after batch (pending-records.ts), so in a loop that logs the same
   * tags in the same order the record at a given offset is the same tag's record again: its
   * constant bytes are already there, and skipping the ~55-byte copy (a `set()` call costs more
   * than everything else here) is a large part of a scalar's cost.
   */
  finish(view: DataView, buf: Uint8Array, off: number, step: number): number {
    const d = off + 12;
    const S = this.shift;

    // wall time (data offsets 1..8): its contribution is cached for the last bits seen
    const lo = view.getInt32(d + 1, true);
    const hi = view.getInt32(d + 5, true);
    if (lo !== this.wallLo || hi !== this.wallHi) this.cacheWall(lo, hi);
    let c = this.wallBase;

    // step: varint at data offsets 10.. (little-endian 7-bit groups; int ops below 2^31). A loop,
    // not one branch per length: this must stay well under V8's inlining size limit.
    if (step < 0x80000000) {
      let x = step;
      let p = d + 10;
      let r = this.stepRow; // shift-table row of data offset 10; each later byte is one row less
      for (let i = this.stepLen; i > 1; i--) {
        const b = (x & 127) | 128;
        buf[p++] = b;
        c ^= S[r + b];
        r -= 256;
        x >>>= 7;
      }
      buf[p] = x;
      c ^= S[r + x];
    } else {
      c ^= this.longStep(buf, d, step);
    }

    // value: the f32 as stored (NaN bit pattern included), its 4 bytes' contributions
    const v = view.getInt32(d + this.valueAt, true);
    const q = this.valueRow;
    c ^= S[q + (v & 0xff)] ^ S[q - 256 + ((v >>> 8) & 0xff)] ^ S[q - 512 + ((v >>> 16) & 0xff)] ^ S[q - 768 + (v >>> 24)];

    const end = d + this.dataLen;
    // maskCrc (record/masked-crc32c.ts) written out: this function must stay small enough for V8
    // to inline it into SummaryWriter.scalar.
    view.setInt32(end, (((c >>> 15) | (c << 17)) + 0xa282ead8) | 0, true);
    return end + 4;
  }

  /** Steps ≥ 2^31 (beyond int32 arithmetic): stored byte by byte; returns their CRC contribution. */
  private longStep(buf: Uint8Array, d: number, step: number): number {
    const S = this.shift;
    const last = this.dataLen - 1; // distance of data byte p to the end: last - p
    const k = this.stepLen;
    let c = 0;
    let p = 10;
    let x = step;
    for (let i = 1; i < k; i++) {
      const b = (x % 128) | 128;
      buf[d + p] = b;
      c ^= S[(last - p) * 256 + b];
      x = Math.floor(x / 128);
      p++;
    }
    buf[d + p] = x;
    c ^= S[(last - p) * 256 + x];
    return c;
  }

  /** Caches crcBase xor the CRC contribution of the wall time whose bits are lo, hi (data offsets 1..8). */
  private cacheWall(lo: number, hi: number): void {
    const S = this.shift;
    const q = (this.dataLen - 2) * 256;
    this.wallBase = this.crcBase ^
      S[q + (lo & 0xff)] ^ S[q - 256 + ((lo >>> 8) & 0xff)] ^ S[q - 512 + ((lo >>> 16) & 0xff)] ^ S[q - 768 + (lo >>> 24)] ^
      S[q - 1024 + (hi & 0xff)] ^ S[q - 1280 + ((hi >>> 8) & 0xff)] ^ S[q - 1536 + ((hi >>> 16) & 0xff)] ^ S[q - 1792 + (hi >>> 24)];
    this.wallLo = lo;
    this.wallHi = hi;
  }
}

/** A tag's templates, one per step-varint length, made on first use. */
export class ScalarRecordTemplates {
  private readonly byLen: Array<ScalarRecordTemplate | undefined> = [];
  /** The template last returned and the steps [lo, hi) it serves (steps mostly grow slowly). */
  private last: ScalarRecordTemplate | undefined = undefined;
  private lo = 0;
  private hi = 0;

  constructor(private readonly suffix: Uint8Array, private readonly suffixValueAt: number) {}

  /**
   * The template for `step`, an integer number 1..2^53-1; undefined for any other step (also
   * NaN, ±Infinity, 0) or if the record is too long for this path. Small enough to inline.
   */
  get(step: number): ScalarRecordTemplate | undefined {
    if (step >= this.lo && step < this.hi) return this.last;
    return this.lookup(step);
  }

  private lookup(step: number): ScalarRecordTemplate | undefined {
    if (!(step >= 1 && step <= Number.MAX_SAFE_INTEGER)) return undefined;
    const k = varintLength(step);
    let t = this.byLen[k];
    if (t === undefined) {
      if (10 + k + this.suffix.length > MAX_DATA) return undefined;
      t = new ScalarRecordTemplate(this.suffix, this.suffixValueAt, k);
      this.byLen[k] = t;
    }
    this.last = t;
    this.lo = k === 1 ? 1 : 2 ** (7 * (k - 1));
    // 8-byte varints reach 2^56: the range stops at 2^53 so that get() needs no check of its own.
    this.hi = Math.min(2 ** (7 * k), Number.MAX_SAFE_INTEGER + 1);
    return t;
  }
}
