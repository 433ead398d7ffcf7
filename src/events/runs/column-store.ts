/**
 * readRunColumns' store for one scalar tag: growable Float64Array columns. Steps stay strictly
 * increasing, because every add preempts the points it would not follow (reservoir.ts), so only
 * the last point is ever compared or popped.
 *
 * Growth is sized from the reader's progress through the run's bytes: a tag with n points after a
 * fraction f of the bytes will likely end near n / f, so the columns grow straight to that (+6 %)
 * instead of doubling a dozen times on the way: the discarded arrays of doubling cost copies,
 * page faults and GC pressure (external memory), measurably in readRun and readRunColumns.
 * A guess can be wrong (a tag dense early in a run, rare later): all of a run's stores together may
 * take at most `spareFor(the run's bytes)` beyond what doubling would (a budget, then plain
 * doubling): one point per SPARE_BYTES_PER_POINT bytes of its files, enough for every tag of a
 * large run to grow straight to its size, and at least SPARE_POINTS. `trim()`
 * gives back slack over 25 % (+64 points) at the end, so the views handed out keep little unused
 * capacity alive (doubling alone could keep 100 %). Capping each jump at 4× instead of a budget
 * measured no better than doubling.
 */
import type { ScalarColumns } from './types';

const FIRST_CAPACITY = 64;

/** Points of capacity a run's stores may take beyond doubling on a guess, at least (96 MB of columns). */
export const SPARE_POINTS = 4 << 20;
/**
 * Bytes of a run's files per point of that budget beyond SPARE_POINTS: a scalar record takes at
 * least ~40 bytes, so a run's points never exceed this budget, and a wrong guess costs at most
 * 24 / 32 bytes of columns per byte of the run.
 */
const SPARE_BYTES_PER_POINT = 32;

/** The guess budget (points) of a run whose files hold `totalBytes`. */
export function spareFor(totalBytes: number): number {
  return Math.max(SPARE_POINTS, Math.floor(totalBytes / SPARE_BYTES_PER_POINT));
}

/** The reader's position in the run (`at` of `total` bytes), shared by its stores with their guess budget. */
export interface ReadProgress {
  at: number;
  total: number;
  /** Capacity (points) still allowed beyond doubling, for all the run's stores together. */
  spare: number;
}

export class ColumnStore {
  steps = new Float64Array(FIRST_CAPACITY);
  wallTimes = new Float64Array(FIRST_CAPACITY);
  values = new Float64Array(FIRST_CAPACITY);
  length = 0;

  constructor(private readonly progress: ReadProgress) {}

  push(step: number, wallTime: number, value: number): void {
    const n = this.length;
    if (n === this.steps.length) this.resize(this.nextCapacity(n));
    this.steps[n] = step;
    this.wallTimes[n] = wallTime;
    this.values[n] = value;
    this.length = n + 1;
  }

  /** Removes the last point and returns its step. */
  pop(): number {
    return this.steps[--this.length];
  }

  /** The last point's step; -Infinity if there is none (a slow-path step may be negative). */
  lastStep(): number {
    return this.length > 0 ? this.steps[this.length - 1] : -Infinity;
  }

  private nextCapacity(n: number): number {
    const { at, total } = this.progress;
    const double = n * 2;
    if (!(at > 0 && total > at)) return double;
    const guess = Math.ceil((n * total) / at * 1.0625) + FIRST_CAPACITY;
    // Every record takes at least 16 bytes of framing: the rest of the run holds no more points.
    const most = n + Math.ceil((total - at) / 16) + 1;
    const extra = Math.min(guess, most) - double;
    if (extra <= 0) return double;
    const granted = Math.min(extra, this.progress.spare);
    this.progress.spare -= granted;
    return double + granted;
  }

  private resize(cap: number): void {
    const n = this.length;
    const s = new Float64Array(cap), w = new Float64Array(cap), v = new Float64Array(cap);
    s.set(this.steps.subarray(0, n));
    w.set(this.wallTimes.subarray(0, n));
    v.set(this.values.subarray(0, n));
    this.steps = s;
    this.wallTimes = w;
    this.values = v;
  }

  /** Gives back capacity beyond 25 % (+64 points) of the length (one copy, only when that much is unused). */
  trim(): void {
    const n = this.length;
    if (this.steps.length > n + (n >> 2) + FIRST_CAPACITY) this.resize(n);
  }

  /** Views of exactly `length` points (no copy: the arrays behind them may be up to twice as long). */
  columns(): ScalarColumns {
    const n = this.length;
    return { steps: this.steps.subarray(0, n), wallTimes: this.wallTimes.subarray(0, n), values: this.values.subarray(0, n), length: n };
  }

  /** The steps as a number[] (TagInfo.steps). */
  stepList(): number[] {
    const n = this.length;
    const s = this.steps;
    // Allocated at its final size and filled: no regrowth, unlike push().
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = s[i];
    return out;
  }
}
