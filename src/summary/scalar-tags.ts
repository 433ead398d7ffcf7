/**
 * Scalars, the summary type a training loop logs most: one writer's scalar tags, written through
 * the hand-made encoding of `./scalar` (plugin `scalars`, data class SCALAR, a rank-0 DT_FLOAT
 * tensor or the legacy `simple_value`).
 *
 * Each tag has a `ScalarTagEntry` (its bytes, made once). Loops log their tags in a fixed order, so
 * each entry remembers the entry of the call that followed it last time: a string comparison then
 * finds the next entry instead of a Map lookup. Once a tag's metadata choice is settled (after the
 * first event with metadata 'first', at once with 'always') its events are framed from record
 * templates (`ScalarTagEntry.records`), which give the same bytes as the encoder.
 */
import type { EventFileWriter } from '../events';
import { encodeMetadata } from './metadata';
import { DataClass } from '../proto';
import { ScalarEncoder, ScalarTagEntry } from './scalar';
import { resolveScalar, type ScalarValue } from './values';
import { argError, checkOptionalString, checkStep, checkTag, checkWallTime, type Step } from './validate';
import type { ValueOptions, WriterContext } from './writer-context';

export class ScalarTags {
  private readonly entries = new Map<string, ScalarTagEntry>();
  /** The entry of the last write() (a placeholder before the first); see write(). */
  private last: ScalarTagEntry = new ScalarTagEntry('', 'tensor', undefined);
  private readonly enc = new ScalarEncoder();
  // The context's members the steady path reads, held here to save a load per call.
  private readonly eventWriter: EventFileWriter;
  private readonly now: () => number;
  private readonly tails: ReadonlyMap<string, unknown>;
  private readonly metaAlways: boolean;

  constructor(private readonly ctx: WriterContext) {
    this.eventWriter = ctx.eventWriter;
    this.now = ctx.now;
    this.tails = ctx.queue.tails;
    this.metaAlways = ctx.metaAlways;
  }

  /** SummaryWriter.scalar(): one scalar. `value`: number, bigint, Promise of one, or a one-element tensor. */
  write(tag: string, value: ScalarValue, step: Step, opts: ValueOptions | undefined): void {
    // The steady state of a training loop, kept small so that V8 inlines what it calls (the clock,
    // writeScalarRecord, the template's finish) into it: the tag that followed the previous call's
    // tag last time, no options, a number value and a number step ≥ 1, every earlier value written
    // (no pending async value), a template for the step's varint length, a wall time ≠ 0 (Event
    // omits a zero double), an open writer (close() clears every `steady`). Anything else is
    // writeGeneral, which gives the same bytes.
    const e = this.last.next;
    if (e !== undefined && e.tag === tag && opts === undefined && typeof value === 'number' && typeof step === 'number' &&
      Math.floor(step) === step && e.steady !== undefined && this.tails.size === 0) {
      const t = e.steady.get(step); // undefined for steps outside 1..2^53-1
      if (t !== undefined) {
        const wall = this.now();
        this.last = e;
        e.lastStep = step;
        e.lastValue = value;
        if (wall !== 0) this.eventWriter.writeScalarRecord(t, wall, step, value);
        else this.writeOne(e, wall, step, value);
        return;
      }
    }
    this.writeGeneral(tag, value, step, opts);
  }

  private writeGeneral(tag: string, value: ScalarValue, step: Step, opts: ValueOptions | undefined): void {
    if (this.ctx.closed) throw this.ctx.closedError('scalar');
    const prev = this.last;
    let entry = prev.next;
    if (entry === undefined || entry.tag !== tag || entry.replaced) entry = this.entries.get(tag);
    if (entry === undefined || (opts !== undefined && this.metaChanged(entry, opts))) entry = this.newEntry('SummaryWriter.scalar', tag, opts, entry);
    prev.next = entry;
    this.last = entry;
    if (!(typeof step === 'number' && step >= 0 && step <= Number.MAX_SAFE_INTEGER && Math.floor(step) === step)) checkStep('SummaryWriter.scalar', step);
    let wallTime: number;
    if (opts === undefined || opts.wallTime === undefined) wallTime = this.now();
    else wallTime = checkWallTime('SummaryWriter.scalar', opts.wallTime);
    if (typeof value === 'number' && (this.tails.size === 0 || !this.tails.has(tag))) {
      this.writeOne(entry, wallTime, step, value);
      return;
    }
    const v = resolveScalar('SummaryWriter.scalar', 'value', value);
    const e = entry;
    this.ctx.queue.run([tag], v, (x) => this.writeOne(e, wallTime, step, x));
  }

  /** SummaryWriter.scalars(): several scalars in ONE event (same step and wall time). */
  writeMany(values: Record<string, ScalarValue> | Map<string, ScalarValue>, step: Step, opts: { wallTime?: number } | undefined): void {
    const method = 'SummaryWriter.scalars';
    this.ctx.checkOpen('scalars');
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw argError(method, 'values', 'an object or Map of tag → value', values);
    }
    const pairs: [string, ScalarValue][] = values instanceof Map ? [...values.entries()] : Object.entries(values);
    if (pairs.length === 0) throw argError(method, 'values', 'an object with at least one tag', values);
    checkStep(method, step);
    const wallTime = this.ctx.wallTime(method, opts?.wallTime);
    const entries: ScalarTagEntry[] = [];
    const resolved: (number | Promise<number>)[] = [];
    let async = false;
    for (const [tag, value] of pairs) {
      entries.push(this.entries.get(tag) ?? this.newEntry(method, tag, undefined, undefined));
      const r = resolveScalar(method, `values[${JSON.stringify(tag)}]`, value);
      if (typeof r !== 'number') async = true;
      resolved.push(r);
    }
    const tags = pairs.map((p) => p[0]);
    const write = (nums: number[]): void => {
      entries.forEach((e, i) => {
        e.lastStep = step;
        e.lastValue = nums[i];
      });
      const withMeta = entries.map((e) => this.takeMeta(e));
      this.eventWriter.writeEventBytes(this.enc.encodeMany(entries, withMeta, wallTime, step, nums));
    };
    if (!async) this.ctx.queue.run(tags, resolved as number[], write);
    else this.ctx.queue.run(tags, Promise.all(resolved), write);
  }

  /**
   * hparams()' final metric values, one event each: at the tag's last step in this writer (nothing
   * is written when that event already holds the same float32 value), or at `step` for a tag this
   * writer has not logged. Never at a step before the tag's last one: TensorBoard takes a step going
   * back for a restart, so RustBoard would drop the series and the Python loader draw the line back.
   */
  writeFinal(values: Record<string, number>, step: Step, wallTime: number): void {
    for (const [tag, value] of Object.entries(values)) {
      const entry = this.entries.get(tag) ?? this.newEntry('SummaryWriter.hparams', tag, undefined, undefined);
      // Queued behind a pending async value of the tag, whose step is known only once it is written.
      this.ctx.queue.run([tag], value, (v) => {
        const last = entry.lastStep;
        if (last === -1) this.writeOne(entry, wallTime, step, v);
        else if (!Object.is(Math.fround(entry.lastValue), Math.fround(v))) this.writeOne(entry, wallTime, last, v);
      });
    }
  }

  /** At close: write() must leave its steady path, which does not check whether the writer is open. */
  close(): void {
    for (const e of this.entries.values()) e.steady = undefined;
  }

  private metaChanged(entry: ScalarTagEntry, opts: ValueOptions): boolean {
    if (!this.metaAlways && entry.metaWritten) return false;
    return (opts.description !== undefined && opts.description !== entry.description) ||
      (opts.displayName !== undefined && opts.displayName !== entry.displayName);
  }

  private newEntry(method: string, tag: unknown, opts: ValueOptions | undefined, previous: ScalarTagEntry | undefined): ScalarTagEntry {
    checkTag(method, tag);
    const description = checkOptionalString(method, opts?.description, 'options.description');
    const displayName = checkOptionalString(method, opts?.displayName, 'options.displayName');
    const scalarFormat = this.ctx.scalarFormat;
    const metaAlways = this.metaAlways;
    let meta: Uint8Array | undefined;
    if (scalarFormat === 'tensor' || description || displayName) {
      meta = encodeMetadata({ pluginName: 'scalars', description, displayName, dataClass: DataClass.SCALAR }, this.ctx.policy);
    }
    const entry = new ScalarTagEntry(tag as string, scalarFormat, meta, description, displayName);
    if (previous) {
      entry.metaWritten = previous.metaWritten;
      entry.lastStep = previous.lastStep;
      entry.lastValue = previous.lastValue;
      previous.replaced = true;
      previous.steady = undefined;
    }
    if (metaAlways || entry.metaWritten) entry.steady = entry.records(metaAlways);
    this.entries.set(tag as string, entry);
    return entry;
  }

  /** Whether this write carries the tag's metadata (and records that it did). */
  private takeMeta(entry: ScalarTagEntry): boolean {
    if (this.metaAlways) return true;
    if (entry.metaWritten) return false;
    entry.metaWritten = true;
    if (!entry.replaced && !this.ctx.closed) entry.steady = entry.records(false);
    return true;
  }

  private writeOne(entry: ScalarTagEntry, wallTime: number, step: Step, value: number): void {
    entry.lastStep = step;
    entry.lastValue = value;
    const withMeta = this.takeMeta(entry);
    // The tag's steady state (see ScalarTagEntry.records) is framed in place from a template: no
    // scratch encode, no copy, CRC from the changed bytes only. A first event with metadata, step 0
    // or a bigint step, and wall time 0 take the encoder.
    if (withMeta === this.metaAlways && typeof step === 'number' && step !== 0 && wallTime !== 0) {
      const t = entry.records(withMeta).get(step);
      if (t !== undefined) {
        this.eventWriter.writeScalarRecord(t, wallTime, step, value);
        return;
      }
    }
    this.eventWriter.writeEventBytes(this.enc.encode(entry, withMeta, wallTime, step, value));
  }
}
