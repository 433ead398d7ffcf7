/**
 * The scalar hot path: scalar Events are encoded by hand, without the protobuf runtime.
 *
 * For a given tag everything but the wall time, the step and the 4 float bytes is constant, so
 * the encoded `Summary.Value` prefix is built once per tag and copied. The layout, in proto
 * field-number order (as TensorBoard's Python writer and protobufjs both emit it):
 *
 *   Event   09 <f64 wall_time> [10 <varint step>] 2a <len> Summary
 *   Summary 0a <len> Value                                  (one per tag, `scalars()` packs several)
 *   Value   0a <len> <tag> | 42 0a 08 01 12 00 2a 04 <f32>  (tensor: DT_FLOAT, shape {}, float_val)
 *                          | 15 <f32>                       (legacy simple_value)
 *           [4a <len> <SummaryMetadata>]
 *
 * Events are encoded into one reusable scratch buffer: `EventFileWriter.writeEventBytes` copies
 * (frames) the bytes right away, so the returned view is only valid until the next encode.
 * The steady state of a tag (a number step ≥ 1, a wall time ≠ 0, the same metadata choice as
 * every other event of the tag) skips this: `records()` gives framed-record templates that
 * `EventFileWriter.writeScalarRecord` fills in place (events/scalar-record-template.ts), same bytes.
 */
import { ScalarRecordTemplates } from '../events';
import { pushVarint, varintLength as protoVarintLength, varintLengthBig, writeVarint as protoWriteVarint, writeVarintBig } from '../proto';

// Local bindings: under CommonJS transpilation an imported function is read through an exports
// getter at every call, here once or twice per encoded Event.
const varintLength = protoVarintLength;
const writeVarint = protoWriteVarint;

export type ScalarFormat = 'tensor' | 'simple_value';

const TENSOR_PREFIX = [0x42, 0x0a, 0x08, 0x01, 0x12, 0x00, 0x2a, 0x04];
const SIMPLE_PREFIX = [0x15];
const utf8 = new TextEncoder();

/** Precomputed bytes of one tag's Summary.Value (everything but the float). */
export class ScalarTagEntry {
  /** `0a <len> 0a <L> tag <type prefix>` for a value without metadata. */
  readonly plain: Uint8Array;
  /** The same with the value length including the metadata field. */
  readonly withMetaHead: Uint8Array;
  /** `4a <len> <SummaryMetadata>` (empty when there is no metadata). */
  readonly metaField: Uint8Array;
  /** Size of the whole Summary.Value field (tag 0a + len + body) without / with metadata. */
  readonly plainSize: number;
  readonly withMetaSize: number;
  /** Set once the tag's metadata has been written by this writer. */
  metaWritten = false;
  /** Set when a new entry (new description or display name) replaced this one: never use it again. */
  replaced = false;
  /** The entry of the scalar() call that followed this one's last time: the guess for the next call (scalar-tags.ts). */
  next: ScalarTagEntry | undefined = undefined;
  /**
   * Step and value of the tag's last written event (step -1 before the first): hparams() writes a
   * final metric value at that step, since an earlier step would make TensorBoard drop the series.
   * Number-typed from the start: the steady path stores them on every call.
   */
  lastStep: number | bigint = -1;
  lastValue = NaN;
  /**
   * Set by ScalarTags once every further event of this tag has the same metadata choice (none
   * after the first with metadata 'first', always with 'always'): the record templates of that
   * choice. Cleared when the entry is replaced. scalar()'s steady path needs it.
   */
  steady: ScalarRecordTemplates | undefined = undefined;
  private templates: [ScalarRecordTemplates | undefined, ScalarRecordTemplates | undefined] = [undefined, undefined];

  constructor(
    readonly tag: string,
    readonly format: ScalarFormat,
    metadata: Uint8Array | undefined,
    readonly description?: string,
    readonly displayName?: string,
  ) {
    const tagBytes = utf8.encode(tag);
    const typePrefix = format === 'tensor' ? TENSOR_PREFIX : SIMPLE_PREFIX;
    const inner: number[] = [0x0a];
    pushVarint(inner, tagBytes.length);
    const innerHead = inner.length;
    const bodyLen = innerHead + tagBytes.length + typePrefix.length + 4;

    const meta: number[] = [];
    if (metadata && metadata.length > 0) {
      meta.push(0x4a);
      pushVarint(meta, metadata.length);
    }
    this.metaField = new Uint8Array(meta.length + (metadata && metadata.length > 0 ? metadata.length : 0));
    this.metaField.set(meta, 0);
    if (metadata && metadata.length > 0) this.metaField.set(metadata, meta.length);

    const build = (valueLen: number): Uint8Array => {
      const head: number[] = [0x0a];
      pushVarint(head, valueLen);
      const out = new Uint8Array(head.length + innerHead + tagBytes.length + typePrefix.length);
      out.set(head, 0);
      out.set(inner, head.length);
      out.set(tagBytes, head.length + innerHead);
      out.set(typePrefix, head.length + innerHead + tagBytes.length);
      return out;
    };
    this.plain = build(bodyLen);
    this.withMetaHead = build(bodyLen + this.metaField.length);
    this.plainSize = this.plain.length + 4;
    this.withMetaSize = this.withMetaHead.length + 4 + this.metaField.length;
  }

  /** Record templates of this tag's Events with or without its metadata (made on first use). */
  records(withMeta: boolean): ScalarRecordTemplates {
    const i = withMeta ? 1 : 0;
    let t = this.templates[i];
    if (t === undefined) {
      // The Event's bytes after the step field: 2a <len> Summary{ Value{ head <f32> [meta] } }
      const head = withMeta ? this.withMetaHead : this.plain;
      const meta = withMeta ? this.metaField : new Uint8Array(0);
      const lead = [0x2a];
      pushVarint(lead, withMeta ? this.withMetaSize : this.plainSize);
      const suffix = new Uint8Array(lead.length + head.length + 4 + meta.length);
      suffix.set(lead, 0);
      suffix.set(head, lead.length);
      suffix.set(meta, lead.length + head.length + 4);
      t = new ScalarRecordTemplates(suffix, lead.length + head.length);
      this.templates[i] = t;
    }
    return t;
  }
}

const SCRATCH_SIZE = 4096;

/** Whether proto3 (Python) writes a double field: any value but +0. */
function hasWallTime(w: number): boolean {
  return w !== 0 || Object.is(w, -0);
}

/**
 * Encodes scalar Events into a reusable scratch buffer. The returned view is valid until the
 * next call (the event writer copies it immediately).
 */
export class ScalarEncoder {
  private slab = new Uint8Array(SCRATCH_SIZE);
  private view = new DataView(this.slab.buffer);

  /**
   * Makes room for an Event whose Summary is `summarySize` bytes, at offset 0 of the scratch, and
   * writes what precedes the Summary's values (wall_time, step, the summary field's key and length).
   * Returns the offset where the values go.
   */
  private writeEventHead(wallTime: number, step: number | bigint, summarySize: number): number {
    const stepSize = stepFieldSize(step);
    const size = (hasWallTime(wallTime) ? 9 : 0) + stepSize + 1 + varintLength(summarySize) + summarySize;
    if (size > this.slab.length) {
      this.slab = new Uint8Array(Math.max(this.slab.length * 2, size));
      this.view = new DataView(this.slab.buffer);
    }
    const buf = this.slab;
    let p = 0;
    if (hasWallTime(wallTime)) {
      buf[0] = 0x09;
      this.view.setFloat64(1, wallTime, true);
      p = 9;
    }
    if (stepSize !== 0) p = writeStepField(buf, p, step);
    buf[p++] = 0x2a;
    return writeVarint(buf, p, summarySize);
  }

  /** One scalar Event. `withMeta` selects the entry's metadata. */
  encode(entry: ScalarTagEntry, withMeta: boolean, wallTime: number, step: number | bigint, value: number): Uint8Array {
    let p = this.writeEventHead(wallTime, step, withMeta ? entry.withMetaSize : entry.plainSize);
    p = this.writeValue(this.slab, p, entry, withMeta, value);
    return this.slab.subarray(0, p);
  }

  /** One Event holding several scalar values (same wall time and step). */
  encodeMany(entries: readonly ScalarTagEntry[], withMeta: readonly boolean[], wallTime: number, step: number | bigint, values: ArrayLike<number>): Uint8Array {
    let summarySize = 0;
    for (let i = 0; i < entries.length; i++) summarySize += withMeta[i] ? entries[i].withMetaSize : entries[i].plainSize;
    let p = this.writeEventHead(wallTime, step, summarySize);
    for (let i = 0; i < entries.length; i++) p = this.writeValue(this.slab, p, entries[i], withMeta[i], values[i]);
    return this.slab.subarray(0, p);
  }

  private writeValue(buf: Uint8Array, p: number, entry: ScalarTagEntry, withMeta: boolean, value: number): number {
    const head = withMeta ? entry.withMetaHead : entry.plain;
    const n = head.length;
    if (n <= 48) {
      for (let i = 0; i < n; i++) buf[p + i] = head[i];
    } else {
      buf.set(head, p);
    }
    p += n;
    this.view.setFloat32(p, value, true);
    p += 4;
    if (withMeta && entry.metaField.length > 0) {
      buf.set(entry.metaField, p);
      p += entry.metaField.length;
    }
    return p;
  }
}

function stepFieldSize(step: number | bigint): number {
  if (typeof step === 'number') return step === 0 ? 0 : 1 + varintLength(step);
  return step === 0n ? 0 : 1 + varintLengthBig(step);
}

function writeStepField(buf: Uint8Array, p: number, step: number | bigint): number {
  buf[p++] = 0x10;
  if (typeof step === 'number') return writeVarint(buf, p, step);
  return writeVarintBig(buf, p, step);
}
