/**
 * EventFileWriter: appends framed tensorboard.Event records to one event file.
 *
 * Design (see docs in tensorboard-format.md §1–§5 for the why):
 * - Calls never do I/O and never throw for I/O: events are framed (length, CRCs) into one pending
 *   buffer, and written by ONE write call per batch, so a crash can leave a missing tail but never a
 *   torn record header (which makes TensorBoard abandon the file).
 * - A batch is written when `maxQueue` events are pending (via setImmediate, so a tight loop coalesces
 *   many events into one write), when the oldest pending data is `flushMillis` old (an unref'd timer:
 *   it never keeps the process alive), on flush()/close(), at process exit/SIGINT/SIGTERM, and
 *   synchronously when the pending bytes pass a high-water mark, so memory stays flat even in a
 *   synchronous loop of millions of calls.
 * - Scalar records (SummaryWriter.scalar's steady path) are filled in place from per-tag templates;
 *   the pending buffer is reused batch after batch, and a loop logging the same tags in the same
 *   order finds each record's constant bytes already in its slot (see `layout`). Past the
 *   high-water mark such a record waits (up to SCALAR_HARD_LIMIT) for the batch's first tag to
 *   come round again before the batch is written, so that the next batch lines up.
 * - Batches use synchronous fs calls: ordering is trivially correct and the same code works inside
 *   'exit' handlers, where asynchronous I/O never completes.
 * - I/O errors are reported once (onError / 'error' listeners / one stderr line), later events are
 *   counted in `droppedEvents`, and flush()/close() reject with the error. Logging must not kill a job.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RECORD_OVERHEAD } from '../record';
import { frameRecordInto } from './frame-fast';
import type { ScalarRecordTemplate } from './fast-scalar-record';
import { encodeEvent, type EventInit } from './encode-event';
import { nextEventFileName } from './file-name';
import { describeIoError, type EventWriteError } from './io-errors';
import { registerForExitFlush, unregisterForExitFlush } from './exit-flush';
import { coarseNow } from '../util/coarse-clock';

export type { EventInit, SummaryValueInit } from './encode-event';
export { nextEventFileName } from './file-name';

/** The synchronous fs calls the writer makes; injectable so tests can simulate ENOSPC and friends. */
export interface WriterFs {
  mkdirSync(dir: string, opts: { recursive: true }): unknown;
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, buf: Buffer, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
  fstatSync(fd: number): { nlink: number };
  closeSync(fd: number): void;
}

export interface EventFileWriterOptions {
  /** Pending events that trigger a write; default 10 (TensorBoard's). */
  maxQueue?: number;
  /** Max age of pending data before it is written; default 120_000. */
  flushMillis?: number;
  /** Appended to the file name, e.g. '.v2'; default ''. */
  filenameSuffix?: string;
  /** fsync after each write batch (object-store FUSE mounts need it for visibility); default false. */
  fsync?: boolean;
  /** Default false: I/O errors are reported, never thrown, and later writes are dropped (counted). */
  strict?: boolean;
  onError?: (err: Error) => void;
  /** Wall clock in SECONDS (float); default the coarse clock (util/coarse-clock.ts: Date.now()/1000, ~1 ms resolution). */
  now?: () => number;
  /** wall_time of the file_version event and the <secs> in the name. */
  fileWallTime?: number;
  /** source_metadata.writer; default 'tbkit'. */
  writerName?: string;
  /** @internal Testing hook: replaces some of the fs calls. */
  fsImpl?: Partial<WriterFs>;
}

const frameInto = frameRecordInto; // local binding: no exports-getter read per event

/** Pending bytes above which a write happens synchronously inside writeEvent. */
const HIGH_WATER_BYTES = 1 << 20;
/**
 * Past the high-water mark a scalar record waits (at most this far) for the record that started the
 * batch's record sequence, so that the next batch starts on the same tag and reuses its slots.
 */
const SCALAR_HARD_LIMIT = HIGH_WATER_BYTES + (HIGH_WATER_BYTES >> 1);
const INITIAL_BUFFER = 64 * 1024;
/** After a batch, a buffer grown beyond this (by one huge record) is given back. */
const SHRINK_ABOVE = 4 * HIGH_WATER_BYTES;
/** Exclusive-create attempts before giving up (each takes the next counter value). */
const MAX_OPEN_ATTEMPTS = 1000;

function viewOf(b: Buffer): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function positiveInt(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 1) {
    throw new TypeError(`${name} must be a positive number, got ${String(v)}`);
  }
  return Math.floor(v);
}

// No `implements ExitFlushable`: its member is marked internal, so stripped from the published .d.ts, where the
// clause would then fail to type-check (skipLibCheck: false). registerForExitFlush(this) checks it here.
export class EventFileWriter extends EventEmitter {
  readonly logdir: string;
  private _path: string;
  private fd: number | undefined;
  private readonly fsx: WriterFs;
  private readonly maxQueue: number;
  private readonly flushMillis: number;
  private readonly doFsync: boolean;
  /** strict option: I/O errors are thrown instead of reported once and counted. */
  readonly strict: boolean;
  private readonly onErrorCb: ((err: Error) => void) | undefined;
  private readonly now: () => number;

  /** Framed records not yet written, in buf[0, used). */
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_BUFFER);
  /** A DataView of `buf` (for the scalar fast path), replaced whenever `buf` is. */
  private view = viewOf(this.buf);
  private used = 0;
  private pendingCount = 0;
  /**
   * writeScalarRecord's one check before its steady path: `used` at or past it needs attention —
   * the high-water mark normally, -1 (always) once the writer is closed or has failed.
   */
  private scalarGate = HIGH_WATER_BYTES;
  /** pendingCount at which appended() has something to schedule (see appended()). */
  private nextCheck = 1;
  /**
   * Slot reuse (writeScalarRecord): `layout[j]` is the template whose record is the j-th record of
   * the buffer, for j < `layoutCount`, at the offsets those records give each other. While the
   * current batch has followed the layout record for record (j < `reuseLimit`), the j-th record's
   * constant bytes are still in the buffer from an earlier batch and only its variable bytes are
   * stored. Any other write (an event that is not a scalar record, a different template, a grown
   * buffer) ends the reuse for the batch (`reuseLimit` = 0) and makes the batch the new layout.
   */
  private layout: Array<ScalarRecordTemplate | undefined> = [];
  private layoutCount = 0;
  private reuseLimit = 0;
  private layoutDirty = false;
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
    if (typeof logdir !== 'string' || logdir.length === 0 || logdir.includes('\0')) {
      // NUL would otherwise surface later as an fs error reported like a full disk; it is a bad argument.
      throw new TypeError(`logdir must be a non-empty directory path without NUL characters, got ${typeof logdir === 'string' ? JSON.stringify(logdir) : typeof logdir}`);
    }
    this.logdir = logdir;
    this.maxQueue = positiveInt('maxQueue', opts.maxQueue, 10);
    this.flushMillis = positiveInt('flushMillis', opts.flushMillis, 120_000);
    this.doFsync = opts.fsync ?? false;
    this.strict = opts.strict ?? false;
    this.onErrorCb = opts.onError;
    this.now = opts.now ?? coarseNow;
    this.fsx = { ...(fs as unknown as WriterFs), ...opts.fsImpl };
    const fileWallTime = opts.fileWallTime ?? this.now();
    const suffix = opts.filenameSuffix ?? '';
    if (typeof suffix !== 'string' || suffix.includes('/') || suffix.includes('\\') || suffix.includes('\0')) {
      throw new TypeError(`filenameSuffix must be a string without a path separator or NUL, got ${JSON.stringify(suffix)}`);
    }

    this._path = path.join(logdir, nextEventFileName(fileWallTime, suffix));
    try {
      this.fsx.mkdirSync(logdir, { recursive: true });
    } catch (err) {
      this.failOpen(describeIoError(err, 'create the log directory', logdir, logdir));
      return;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        // 'wx': exclusive create. Two writers (threads, processes, containers sharing a hostname)
        // in one directory in the same second must never open — and truncate — the same file.
        this.fd = this.fsx.openSync(this._path, 'wx', 0o666);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException)?.code === 'EEXIST' && attempt < MAX_OPEN_ATTEMPTS) {
          this._path = path.join(logdir, nextEventFileName(fileWallTime, suffix));
          continue;
        }
        this.failOpen(describeIoError(err, 'create event file', this._path, logdir));
        return;
      }
    }
    registerForExitFlush(this);
    // Like TensorBoard: the file_version record is written right away, so the run (and the file's
    // writer) are visible immediately and a crash before the first flush still leaves a valid file.
    this.append(encodeEvent({
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
    this.append(bytes);
    this.appended();
  }

  /**
   * @internal The scalar fast path (SummaryWriter.scalar): queues the scalar Event `t` describes,
   * framed straight into the pending buffer. Same bytes and the same rules as writeEventBytes.
   */
  writeScalarRecord(t: ScalarRecordTemplate, wallTime: number, step: number, value: number): void {
    // Small on purpose: SummaryWriter.scalar inlines it, and V8 inlines ~920 bytecodes in all.
    if (this.used >= this.scalarGate && this.scalarGated(t)) return;
    const j = this.pendingCount;
    if (j >= this.reuseLimit || this.layout[j] !== t) this.newSlot(t, j);
    const view = this.view;
    const off = this.used;
    view.setFloat64(off + 13, wallTime, true); // Event.wall_time: data offset 1
    view.setFloat32(off + 12 + t.valueAt, value, true);
    this.used = t.finish(view, this.buf, off, step);
    this.pendingCount = j + 1;
    if (j + 1 >= this.nextCheck) this.schedule();
  }

  /**
   * writeScalarRecord past its gate: on a closed writer throws, after an I/O error drops (counted)
   * or throws (strict), and past the high-water mark writes the batch first if this record starts
   * the layout again (see `layout`: the next batch then reuses every slot) or the batch is too big.
   * True if the record must not be written.
   */
  private scalarGated(t: ScalarRecordTemplate): boolean {
    this.assertOpen();
    if (this.failure === undefined) {
      const first = this.layout[0]; // the batch's first record, if it was a scalar record
      if (this.used < HIGH_WATER_BYTES || (t !== first && first !== undefined && this.used < SCALAR_HARD_LIMIT)) return false;
      this.writeBatch(false);
      if (this.failure === undefined) return false;
    }
    if (this.strict) throw this.failure;
    this._dropped++;
    return true;
  }

  /** A scalar record whose slot holds something else: the template's bytes are copied there. */
  private newSlot(t: ScalarRecordTemplate, j: number): void {
    if (this.used + t.size > this.buf.length) this.grow(t.size);
    t.copyTo(this.buf, this.used);
    this.layout[j] = t;
    this.reuseLimit = 0;
    this.layoutDirty = true;
  }

  /** After a record was queued: write now past the high-water mark, else schedule the write. */
  private appended(): void {
    if (this.used >= HIGH_WATER_BYTES) {
      this.writeBatch(false);
      if (this.failure && this.strict) throw this.failure;
      return;
    }
    if (this.pendingCount >= this.nextCheck) this.schedule();
  }

  /**
   * Starts the flushMillis timer on a batch's first record and the immediate write at maxQueue
   * records. `nextCheck` is the record count at which there is something left to start, so the
   * per-record cost is one comparison.
   */
  private schedule(): void {
    if (this.pendingCount >= this.maxQueue) {
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

  // ---------------------------------------------------------------------------------------------

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
    this.nextCheck = this.pendingCount + 1;
  }

  /** Frames one record into the pending buffer (length, CRCs computed now; bytes copied). */
  private append(data: Uint8Array): void {
    const need = data.length + RECORD_OVERHEAD;
    if (this.used + need > this.buf.length) this.grow(need);
    this.used = frameInto(this.buf, this.used, data);
    // Not a scalar record: its slot matches no template, and the slots after it move.
    this.layout[this.pendingCount] = undefined; // (layout.length >= pendingCount: no holes)
    this.reuseLimit = 0;
    this.layoutDirty = true;
    this.pendingCount++;
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

  /** Writes all pending records with one write call (looping only on a short write). */
  private writeBatch(syncReport: boolean): void {
    this.clearSchedule();
    if (this.used === 0) return;
    const count = this.pendingCount;
    const length = this.used;
    this.used = 0;
    this.pendingCount = 0;
    this.nextCheck = 1;
    // The next batch can reuse the slots of this one (or, if this one followed the layout
    // throughout, of the layout, whose records after this batch's end are still intact).
    if (this.layoutDirty) {
      this.layoutCount = count;
      this.layoutDirty = false;
    }
    this.reuseLimit = this.layoutCount;
    const fd = this.fd;
    if (this.failure || fd === undefined) {
      this._dropped += count;
      return;
    }
    try {
      // Writing to an fd whose file was unlinked (log directory deleted mid-run) succeeds silently on
      // POSIX; every later event would vanish. A link count of 0 tells us, so report it as ENOENT.
      if (this.fsx.fstatSync(fd).nlink === 0) {
        throw Object.assign(new Error('event file was deleted'), { code: 'ENOENT', syscall: 'write' });
      }
      let off = 0;
      while (off < length) {
        const n = this.fsx.writeSync(fd, this.buf, off, length - off);
        if (!(n > 0)) throw Object.assign(new Error('write made no progress'), { code: 'EIO', syscall: 'write' });
        off += n;
      }
    } catch (err) {
      // Best effort: cut a partially written batch so the file ends on a record boundary; the records
      // written before this batch are left untouched.
      try { this.fsx.ftruncateSync(fd, this.fileOffset); } catch { /* the original error matters */ }
      this._dropped += count;
      this.fail(describeIoError(err, 'write event file', this._path, this.logdir), syncReport);
      return;
    } finally {
      if (this.buf.length > SHRINK_ABOVE) {
        this.buf = Buffer.allocUnsafe(INITIAL_BUFFER);
        this.view = viewOf(this.buf);
        this.layoutCount = 0;
        this.reuseLimit = 0;
      }
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
    const err = this.failure;
    let delivered = false;
    if (this.onErrorCb) {
      delivered = true;
      try { this.onErrorCb(err); } catch { /* a throwing callback must not break logging */ }
    }
    if (this.listenerCount('error') > 0) {
      delivered = true;
      this.emit('error', err);
    }
    if (!delivered) {
      try { process.stderr.write(`${err.message} (further events to this file are dropped)\n`); } catch { /* stderr closed */ }
    }
  }
}
