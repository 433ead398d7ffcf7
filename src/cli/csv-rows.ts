/**
 * CSV rows of scalar points: the export's hot loop. The row strings dominate the export of a large
 * log (V8's shortest-form number formatting, the concatenations, their garbage, then the UTF-8
 * encoding of the result), so when the run and tag names are ASCII, rows are written as bytes into
 * one buffer (handed to the sink as a latin1 string, which for ASCII is the same text), and numbers
 * are written by `putCsvNumber`, which produces exactly the characters of csvNumber (format.ts):
 * test/cli/export.test.ts checks the two on over a million values, and the export against the
 * golden manifest. `npm run bench` (export) measures what the byte path buys.
 */
import type { ScalarColumns } from '../events';
import { csvNumber } from './format';
import type { TextSink } from './output';

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** 10^d, exact as doubles for d ≤ 22. */
const POW10 = Float64Array.from({ length: 23 }, (_, d) => Number(`1e${d}`));
/** Below this scaled magnitude the fixed-point form below is provably the shortest (see putNumber). */
const FIXED_LIMIT = 2 ** 50;
const ZERO = 48;

/**
 * Writes the digits of the int32 0 ≤ v < 2^31 (callers pass `| 0` values, so that V8 divides by 10
 * with an integer multiply instead of a float division).
 */
function putInt(buf: Buffer, off: number, v: number): number {
  const n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5
    : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
  let p = off + n;
  do {
    const q = (v / 10) | 0;
    buf[--p] = ZERO + v - q * 10;
    v = q;
  } while (p > off);
  return off + n;
}

/** Writes the decimal digits of the integer 0 ≤ m < 2^53 at `off`; returns the end offset. */
function putDigits(buf: Buffer, off: number, m: number): number {
  if (m < 1e8) return putInt(buf, off, m | 0);
  const hi = Math.floor(m / 1e8); // < 2^53 / 1e8 < 2^31
  let lo = (m - hi * 1e8) | 0; // exact: 8 digits, zero-padded below
  off = putInt(buf, off, hi | 0);
  for (let p = off + 7; p >= off; p--) {
    const q = (lo / 10) | 0;
    buf[p] = ZERO + lo - q * 10;
    lo = q;
  }
  return off + 8;
}

/** The characters of a string known to be ASCII. */
function putAscii(buf: Buffer, off: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[off++] = s.charCodeAt(i);
  return off;
}

// Reads a double's binary exponent (one store and one load, no Math.log10).
const f64 = new Float64Array(1);
const hiWord = new Int32Array(f64.buffer, 4, 1); // little-endian: the sign/exponent word
const LOG10_2 = 0.30102999566398120;

/**
 * Writes exactly `'' + x` (ECMAScript Number::toString: the shortest digit string that reads back
 * as x) at `off`; returns the end offset.
 * - |x| a safe integer: its digits (no shorter string reads back: integers < 2^53 are all exact).
 * - 1e-5 ≤ |x| < 2^49 with at most ~15 significant digits: take D, the largest d with
 *   |x|·10^D < 2^50, and m = round(|x|·10^D). At that scale the rounding interval of x spans less
 *   than 1/4, and the float product is within 0.19 of the exact one, so m is the only integer with
 *   m / 10^D === |x| (a correctly rounded division: "reads back as x"), and every shorter form is m
 *   without some of its trailing zeros. So: check m / 10^D === |x|, strip m's trailing zeros (the
 *   shortest form), print it in fixed notation (as JS does for 1e-6 ≤ |x| < 1e21).
 * - Anything else (17-digit wall times, most float32 values, NaN, ±Infinity): `'' + x` itself.
 * -0 is written as "0", as `'' + x` does.
 */
function putNumber(buf: Buffer, off: number, x: number): number {
  let a = x;
  if (a < 0) {
    buf[off++] = 45; // '-'
    a = -a;
  }
  if (a <= 9007199254740991 && Math.floor(a) === a) return putDigits(buf, off, a);
  if (a >= 1e-5 && a < 2 ** 49) {
    f64[0] = a;
    const e2 = (hiWord[0] >>> 20) - 1023; // 2^e2 ≤ a < 2^(e2+1)
    let d = Math.floor((49 - e2) * LOG10_2); // a·10^d < 2^(e2+1)·10^d ≤ 2^50
    if (d > 22) d = 22;
    if (d < 22 && a * POW10[d + 1] < FIXED_LIMIT) d++;
    let m = Math.round(a * POW10[d]);
    if (d >= 1 && a * POW10[d] < FIXED_LIMIT && m / POW10[d] === a) {
      for (;;) { // strip trailing zeros: d > 0 remains, as x is not an integer
        const q = Math.floor(m / 10);
        if (q * 10 !== m) break;
        m = q;
        d--;
      }
      const ip = Math.floor(m / POW10[d]);
      off = putDigits(buf, off, ip);
      buf[off++] = 46; // '.'
      const frac = m - ip * POW10[d]; // ≥ 1: its last digit is not 0
      for (let z = POW10[d - 1]; z > frac; z /= 10) buf[off++] = ZERO; // leading zeros of the fraction
      return putDigits(buf, off, frac);
    }
  }
  return putAscii(buf, x < 0 ? off - 1 : off, '' + x);
}

/** A CSV cell for a float: csvNumber's characters (-0 kept as "-0"). */
function putCsvNumber(buf: Buffer, off: number, v: number): number {
  if (v === 0 && 1 / v < 0) {
    buf[off] = 45;
    buf[off + 1] = ZERO;
    return off + 2;
  }
  return putNumber(buf, off, v);
}

/** `csvNumber` computed by the byte formatter: exists for the test that checks the two agree. */
export function csvNumberFast(v: number): string {
  const buf = Buffer.allocUnsafe(32);
  return buf.toString('latin1', 0, putCsvNumber(buf, 0, v));
}

const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);

/** Longest `'' + x` of a double: "-1.2345678901234567e-308" is 24 characters. */
const MAX_NUMBER_CHARS = 25;
const CSV_BATCH = 8192;

/** The CSV hot loop: `prefix` = "run,tag,", `suffix` = hparam columns + newline. */
export async function writeCsvRows(cols: ScalarColumns, sink: TextSink, prefix: string, suffix: string): Promise<void> {
  if (!isAscii(prefix) || !isAscii(suffix)) return writeCsvRowsText(cols, sink, prefix, suffix);
  const { steps, wallTimes, values } = cols;
  const n = cols.length;
  const pre = Buffer.from(prefix, 'latin1');
  const suf = Buffer.from(suffix, 'latin1');
  const pl = pre.length, sl = suf.length;
  const buf = Buffer.allocUnsafe(Math.min(n, CSV_BATCH) * (pl + sl + 3 * MAX_NUMBER_CHARS + 2));
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + CSV_BATCH);
    let o = 0;
    for (; i < end; i++) {
      for (let k = 0; k < pl; k++) buf[o++] = pre[k];
      o = putNumber(buf, o, steps[i]);
      buf[o++] = 44; // ','
      o = putCsvNumber(buf, o, wallTimes[i]);
      buf[o++] = 44;
      o = putCsvNumber(buf, o, values[i]);
      for (let k = 0; k < sl; k++) buf[o++] = suf[k];
    }
    sink.write(buf.toString('latin1', 0, o));
    const f = sink.maybeFlush();
    if (f) await f;
  }
}

/** The same rows built as strings (run or tag names with non-ASCII characters). */
async function writeCsvRowsText(cols: ScalarColumns, sink: TextSink, prefix: string, suffix: string): Promise<void> {
  const { steps, wallTimes, values } = cols;
  const n = cols.length;
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + CSV_BATCH);
    let s = '';
    for (; i < end; i++) {
      const w = wallTimes[i];
      const v = values[i];
      s += prefix + steps[i] + ',' + csvNumber(w) + ',' + csvNumber(v) + suffix;
    }
    sink.write(s);
    const f = sink.maybeFlush();
    if (f) await f;
  }
}
