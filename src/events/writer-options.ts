/** What an EventFileWriter can be configured with, and the checks of those options. */

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

/**
 * The default max age of pending data. Short, unlike TensorBoard's 120 s: logging slower than
 * maxQueue values per interval (a value every few seconds, an epoch's validation) must reach
 * TensorBoard within a second or two, not minutes. A busy loop fills maxQueue long before and is
 * written in batches as before; a sparse one costs at most one write() per interval.
 */
export const DEFAULT_FLUSH_MILLIS = 1000;

export interface EventFileWriterOptions {
  /** Pending events that trigger a write; default 10 (TensorBoard's). */
  maxQueue?: number;
  /** Max age of pending data (ms) before it is written; default 1000, so any value is on disk within about a second. */
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

export function positiveInt(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 1) {
    throw new TypeError(`${name} must be a positive number, got ${String(v)}`);
  }
  return Math.floor(v);
}

export function checkLogdir(logdir: unknown): string {
  if (typeof logdir !== 'string' || logdir.length === 0 || logdir.includes('\0')) {
    // NUL would otherwise surface later as an fs error reported like a full disk; it is a bad argument.
    throw new TypeError(`logdir must be a non-empty directory path without NUL characters, got ${typeof logdir === 'string' ? JSON.stringify(logdir) : typeof logdir}`);
  }
  return logdir;
}

export function checkFilenameSuffix(suffix: unknown): string {
  if (typeof suffix !== 'string' || suffix.includes('/') || suffix.includes('\\') || suffix.includes('\0')) {
    throw new TypeError(`filenameSuffix must be a string without a path separator or NUL, got ${JSON.stringify(suffix)}`);
  }
  return suffix;
}
