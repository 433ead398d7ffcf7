/**
 * EventFileWriter: appends framed tensorboard.Event records to one event file, in batches.
 *
 * - Calls never do I/O and never throw for I/O: events are framed (length, CRCs) into one pending
 *   buffer (pending-records.ts), and written by ONE write call per batch, so a crash can leave a
 *   missing tail but never a torn record header (which makes TensorBoard abandon the file).
 * - A batch is written when `maxQueue` events are pending (via setImmediate, so a tight loop coalesces
 *   many events into one write), when the oldest pending data is `flushMillis` old (default 1 s; an
 *   unref'd timer: it never keeps the process alive), on flush()/close(), at process exit/SIGINT/SIGTERM, and
 *   synchronously when the pending bytes pass a high-water mark, so memory stays flat even in a
 *   synchronous loop of millions of calls.
 * - Scalar records (SummaryWriter.scalar's steady path) are filled in place from per-tag templates
 *   into reused slots of the pending buffer; past the high-water mark, see SCALAR_HARD_LIMIT.
 * - Batches use synchronous fs calls: ordering is trivially correct, and they work in 'exit' handlers.
 * - I/O errors are reported once (onError / 'error' listeners / one stderr line), later events are
 *   counted in `droppedEvents`, and flush()/close() reject with the error. Logging must not kill a job.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { coarseNow } from '../util';
import { encodeEvent, type EventInit } from './encode-event';
import { deliverWriteError, describeIoError, type EventWriteError } from './io-errors';
import { registerForExitFlush, unregisterForExitFlush } from './exit-flush';
import { appendBatch, openEventFile } from './event-file-io';
import { PendingRecords } from './pending-records';
import type { ScalarRecordTemplate } from './scalar-record-template';
import { checkFilenameSuffix, checkLogdir, DEFAULT_FLUSH_MILLIS, positiveInt, type EventFileWriterOptions, type WriterFs } from './writer-options';

/** Pending bytes above which a write happens synchronously inside writeEvent. */
const HIGH_WATER_BYTES = 1 << 20;
/** Past the high-water mark, scalar records go on (up to this) until the batch's first tag comes round again. */
const SCALAR_HARD_LIMIT = HIGH_WATER_BYTES + (HIGH_WATER_BYTES >> 1);
/** After a batch, a buffer grown beyond this (by one huge record) is given back. */
const SHRINK_ABOVE = 4 * HIGH_WATER_BYTES;

// No `implements ExitFlushable`: its member is marked internal, so stripped from the published .d.ts, where the
// clause would then fail to type-check (skipLibCheck: false). registerForExitFlush(this) checks it here.
export class EventFileWriter extends EventEmitter {
  readonly logdir: string;
  private readonly _path: string;
  private fd: number | undefined;
  private readonly fsx: WriterFs;
  private readonly maxQueue: number;
  private readonly flushMillis: number;
  private readonly doFsync: boolean;
  /** strict option: I/O errors are thrown instead of reported once and counted. */
  readonly strict: boolean;
  private readonly onErrorCb: ((err: Error) => void) | undefined;
  private readonly now: () => number;
  private readonly pending = new PendingRecords();
  /** Pending bytes at which writeScalarRecord leaves its steady path: the high-water mark, or -1 once closed or failed. */
  private scalarGate = HIGH_WATER_BYTES;
  /** Pending record count at which appended() has something to schedule (see schedule()). */
  private nextCheck = 1;
  /** Bytes known to be in the file (where a failed partial batch is truncated back to). */
  private fileOffset = 0;
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: EventWriteError | undefined;
  private reported = false;
  private _closed = false;
  private _dropped = 0;

  constructor(logdir: string, opts: EventFileWriterOptions = {}) {
    super();
    this.logdir = checkLogdir(logdir);
    this.maxQueue = positiveInt('maxQueue', opts.maxQueue, 10);
    this.flushMillis = positiveInt('flushMillis', opts.flushMillis, DEFAULT_FLUSH_MILLIS);
    this.doFsync = opts.fsync ?? false;
    this.strict = opts.strict ?? false;
    this.onErrorCb = opts.onError;
    this.now = opts.now ?? coarseNow;
    this.fsx = { ...(fs as unknown as WriterFs), ...opts.fsImpl };
    const fileWallTime = opts.fileWallTime ?? this.now();
    const suffix = checkFilenameSuffix(opts.filenameSuffix ?? '');

    const opened = openEventFile(this.fsx, logdir, fileWallTime, suffix);
    this._path = opened.path;
    if ('error' in opened) {
      this.failOpen(opened.error);
      return;
    }
    this.fd = opened.fd;
    registerForExitFlush(this);
    // Like TensorBoard: the file_version record is written right away, so the run (and the file's
    // writer) are visible immediately and a crash before the first flush still leaves a valid file.
    this.pending.append(encodeEvent({
      wall_time: fileWallTime,
      file_version: 'brain.Event:2',
      source_metadata: { writer: opts.writerName ?? 'tbkit' },
    }));
    this.writeBatch(false);
  }

  get path(): string { return this._path; }
  get closed(): boolean { return this._closed; }
  /** Events not written because of an earlier I/O error (including those of the failed batch). */
  get droppedEvents(): number { return this._dropped; }

  /** Encodes and queues a tensorboard.Event given as a plain object. `wall_time` defaults to now(). */
  writeEvent(event: EventInit): void {
    this.assertOpen();
    const bytes = encodeEvent(event.wall_time === undefined ? { ...event, wall_time: this.now() } : event);
    this.writeEventBytes(bytes);
  }

  /** Queues an already-serialized tensorboard.Event (copied: the caller may reuse `bytes`). */
  writeEventBytes(bytes: Uint8Array): void {
    this.assertOpen();
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`writeEventBytes expects the serialized Event as a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}; use writeEvent() for plain objects`);
    }
    if (this.failure) {
      if (this.strict) throw this.failure;
      this._dropped++;
      return;
    }
    this.pending.append(bytes);
    this.appended();
  }

  /**
   * @internal The scalar fast path (SummaryWriter.scalar): queues the scalar Event `t` describes,
   * framed straight into the pending buffer. Same bytes and the same rules as writeEventBytes.
   */
  writeScalarRecord(t: ScalarRecordTemplate, wallTime: number, step: number, value: number): void {
    // Small on purpose: SummaryWriter.scalar inlines it (V8 inlines ~920 bytecodes in all). The
    // doubles are stored here: passed to a call V8 does not inline, they would be boxed.
    const p = this.pending;
    if (p.used >= this.scalarGate && this.scalarGated(t)) return;
    const j = p.count;
    if (!p.slotHolds(j, t)) p.newSlot(t, j);
    const view = p.view;
    const off = p.used;
    view.setFloat64(off + 13, wallTime, true); // Event.wall_time: data offset 1
    view.setFloat32(off + 12 + t.valueAt, value, true);
    p.used = t.finish(view, p.buf, off, step);
    p.count = j + 1;
    if (j + 1 >= this.nextCheck) this.schedule();
  }

  /**
   * writeScalarRecord past its gate: throws when closed; after an I/O error drops (counted) or throws
   * (strict); past the high-water mark writes the batch first if `t` starts the layout again (the
   * next batch then reuses every slot) or the batch is too big. True if the record must not be written.
   */
  private scalarGated(t: ScalarRecordTemplate): boolean {
    this.assertOpen();
    if (this.failure === undefined) {
      const used = this.pending.used;
      const first = this.pending.firstTemplate(); // the batch's first record, if it was a scalar record
      if (used < HIGH_WATER_BYTES || (t !== first && first !== undefined && used < SCALAR_HARD_LIMIT)) return false;
      this.writeBatch(false);
      if (this.failure === undefined) return false;
    }
    if (this.strict) throw this.failure;
    this._dropped++;
    return true;
  }

  /** After a record was queued: write now past the high-water mark, else schedule the write. */
  private appended(): void {
    if (this.pending.used >= HIGH_WATER_BYTES) {
      this.writeBatch(false);
      if (this.failure && this.strict) throw this.failure;
      return;
    }
    if (this.pending.count >= this.nextCheck) this.schedule();
  }

  /**
   * Starts the flushMillis timer on a batch's first record and the immediate write at maxQueue
   * records. `nextCheck` is the record count at which there is something left to start, so the
   * per-record cost is one comparison.
   */
  private schedule(): void {
    if (this.pending.count >= this.maxQueue) {
      if (this.immediate === undefined) this.immediate = setImmediate(this.onImmediate);
      this.nextCheck = Infinity;
    } else {
      if (this.timer === undefined) {
        this.timer = setTimeout(this.onTimer, this.flushMillis);
        this.timer.unref();
      }
      this.nextCheck = this.maxQueue;
    }
  }

  /** Resolves when all pending bytes are written (and fsynced if asked); rejects with the I/O error if any. */
  flush(): Promise<void> {
    if (!this._closed) this.writeBatch(false);
    return this.failure ? Promise.reject(this.failure) : Promise.resolve();
  }

  /** flush + close the file. A second close() resolves and does nothing. */
  close(): Promise<void> {
    if (this._closed) return Promise.resolve();
    this.writeBatch(false);
    this._closed = true;
    this.scalarGate = -1;
    this.clearSchedule();
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      try {
        this.fsx.closeSync(fd);
      } catch (err) {
        if (!this.failure) this.fail(describeIoError(err, 'close event file', this._path, this.logdir), false);
      }
    }
    unregisterForExitFlush(this);
    return this.failure ? Promise.reject(this.failure) : Promise.resolve();
  }

  /** @internal Called by the exit/signal handlers: synchronous, never throws, reports synchronously. */
  flushOnExit(): void {
    if (!this._closed) this.writeBatch(true);
  }

  private assertOpen(): void {
    if (this._closed) {
      throw new Error(`tbkit: EventFileWriter for ${this._path} is closed; create a new EventFileWriter to keep logging (events must be written before close())`);
    }
  }

  private readonly onImmediate = (): void => {
    this.immediate = undefined;
    this.writeBatch(false);
  };

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.writeBatch(false);
  };

  private clearSchedule(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = undefined;
    this.nextCheck = this.pending.count + 1;
  }

  /** Writes all pending records with one write call (looping only on a short write). */
  private writeBatch(syncReport: boolean): void {
    this.clearSchedule();
    const pending = this.pending;
    if (pending.used === 0) return;
    const count = pending.count;
    const length = pending.used;
    pending.clear(); // the bytes stay in pending.buf until the next record is queued
    this.nextCheck = 1;
    const fd = this.fd;
    if (this.failure || fd === undefined) {
      this._dropped += count;
      return;
    }
    try {
      appendBatch(this.fsx, fd, pending.buf, length, this.fileOffset);
    } catch (err) {
      this._dropped += count;
      this.fail(describeIoError(err, 'write event file', this._path, this.logdir), syncReport);
      return;
    } finally {
      pending.shrink(SHRINK_ABOVE);
    }
    this.fileOffset += length;
    if (this.doFsync) {
      try {
        this.fsx.fsyncSync(fd);
      } catch (err) {
        this.fail(describeIoError(err, 'fsync event file', this._path, this.logdir), syncReport);
      }
    }
  }

  private failOpen(err: EventWriteError): void {
    this.failure = err;
    this.scalarGate = -1;
    if (this.strict) throw err;
    // Nobody can have attached an 'error' listener yet: report on the next tick.
    process.nextTick(() => this.report());
  }

  private fail(err: EventWriteError, syncReport: boolean): void {
    if (this.failure) return;
    this.failure = err;
    this.scalarGate = -1;
    if (syncReport) this.report();
    else process.nextTick(() => this.report());
  }

  /** Reports the failure once: onError, 'error' listeners, or else one stderr line. */
  private report(): void {
    if (this.reported || !this.failure) return;
    this.reported = true;
    deliverWriteError(this.failure, this.onErrorCb, this);
  }
}
