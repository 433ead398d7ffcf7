/**
 * The framed records an EventFileWriter has not written yet, in one buffer reused batch after
 * batch, and the scalar slot reuse that reusing it allows.
 *
 * Slot reuse: a loop logging the same tags in the same order puts the same tag's record at the
 * same offset batch after batch. `layout[j]` is the template whose record is the j-th record of the
 * buffer, for j < `layoutCount`, at the offsets those records give each other. While the current
 * batch has followed the layout record for record (j < `reuseLimit`), the j-th record's constant
 * bytes are still in the buffer from an earlier batch and only its variable bytes are stored
 * (ScalarRecordTemplate.finish). Any other write (an event that is not a scalar record, another
 * template, a grown buffer) ends the reuse for the batch and makes the batch the new layout.
 *
 * EventFileWriter.writeScalarRecord fills a scalar record itself, in the slot that slotHolds()
 * says is ready or newSlot() prepares: that code is inlined into SummaryWriter.scalar, and one
 * more call level there would leave the template's finish() outside V8's inlining budget.
 */
import { RECORD_OVERHEAD, writeRecordInto } from '../record';
import type { ScalarRecordTemplate } from './scalar-record-template';

// Local bindings: under CommonJS transpilation an imported name is read through an exports getter
// at every use, here once per event.
const frameInto = writeRecordInto;
const OVERHEAD = RECORD_OVERHEAD;

const INITIAL_BUFFER = 64 * 1024;

function viewOf(b: Buffer): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export class PendingRecords {
  /** Framed records not yet written, in buf[0, used). */
  buf: Buffer = Buffer.allocUnsafe(INITIAL_BUFFER);
  /** A DataView of `buf` (for the scalar records' doubles), replaced whenever `buf` is. */
  view = viewOf(this.buf);
  used = 0;
  /** Records in buf[0, used). */
  count = 0;
  private layout: Array<ScalarRecordTemplate | undefined> = [];
  private layoutCount = 0;
  private reuseLimit = 0;
  private layoutDirty = false;

  /** Frames one record (length, CRCs computed now; bytes copied). */
  append(data: Uint8Array): void {
    const need = data.length + OVERHEAD;
    if (this.used + need > this.buf.length) this.grow(need);
    this.used = frameInto(this.buf, this.used, data);
    // Not a scalar record: its slot matches no template, and the slots after it move.
    this.layout[this.count] = undefined; // (layout.length >= count: no holes)
    this.reuseLimit = 0;
    this.layoutDirty = true;
    this.count++;
  }

  /** True if slot j (the next record) still holds `t`'s constant bytes from an earlier batch. */
  slotHolds(j: number, t: ScalarRecordTemplate): boolean {
    return j < this.reuseLimit && this.layout[j] === t;
  }

  /** Slot j (the next record) for `t`, when it holds something else: the template's bytes are copied there. */
  newSlot(t: ScalarRecordTemplate, j: number): void {
    if (this.used + t.size > this.buf.length) this.grow(t.size);
    t.copyTo(this.buf, this.used);
    this.layout[j] = t;
    this.reuseLimit = 0;
    this.layoutDirty = true;
  }

  /** The template of the batch's first record, if that is a scalar record of the layout. */
  firstTemplate(): ScalarRecordTemplate | undefined {
    return this.layout[0];
  }

  /** Makes room for `need` more bytes after the pending ones. */
  private grow(need: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + need));
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
    this.view = viewOf(grown);
    // Only the pending bytes were copied: the slots after them are gone. (Slots being reused all lie
    // before the old end, so this cannot interrupt a reuse; it keeps the invariant local.)
    this.reuseLimit = 0;
    this.layoutDirty = true;
  }

  /**
   * Empties the batch once it is written (or dropped). Its bytes stay in `buf`, so the next batch
   * can reuse its slots (or, if it followed the layout throughout, the layout's, whose records
   * after this batch's end are still intact).
   */
  clear(): void {
    if (this.layoutDirty) {
      this.layoutCount = this.count;
      this.layoutDirty = false;
    }
    this.reuseLimit = this.layoutCount;
    this.used = 0;
    this.count = 0;
  }

  /** After a batch: a buffer grown beyond `limit` bytes (by a huge record) is given back, with its slots. */
  shrink(limit: number): void {
    if (this.buf.length <= limit) return;
    this.buf = Buffer.allocUnsafe(INITIAL_BUFFER);
    this.view = viewOf(this.buf);
    this.layoutCount = 0;
    this.reuseLimit = 0;
  }
}
