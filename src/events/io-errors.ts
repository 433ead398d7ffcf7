/**
 * Turning a raw fs error into one message a user can act on (which file, which errno, and the
 * fix), and delivering it.
 *
 * Writers report I/O errors instead of throwing them into the training loop (losing a log must not kill
 * a multi-hour job), so the message is all the user gets: it has to be complete on its own.
 */
import type { EventEmitter } from 'node:events';

/**
 * An event file could not be created or written: the message names the file, the errno and the
 * fix; the fs error is the `cause`. Reported once (onError, 'error' listeners, or stderr), thrown
 * only by strict writers, and what flush() and close() reject with.
 */
export class EventWriteError extends Error {
  /** The errno name (e.g. 'ENOSPC'), when the cause had one. */
  declare code?: string;
  declare errno?: number;
  declare syscall?: string;
  /** The file (or directory) the failed call was about. */
  declare path?: string;

  constructor(message: string, fields: { cause: unknown; path: string; code?: string; errno?: number; syscall?: string }) {
    super(message, { cause: fields.cause });
    this.name = 'EventWriteError';
    if (fields.code) this.code = fields.code;
    if (fields.errno !== undefined) this.errno = fields.errno;
    if (fields.syscall) this.syscall = fields.syscall;
    this.path = fields.path;
  }
}

function fixFor(code: string | undefined, dir: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `check permissions of ${dir} or choose another --logdir`;
    case 'EROFS':
      return `${dir} is on a read-only file system; choose another --logdir`;
    case 'ENOENT':
      return `the directory ${dir} was removed or is missing; recreate it or choose another --logdir`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `free disk space (or quota) on the device holding ${dir}, or choose another --logdir`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `a file is in the way of the directory ${dir}; remove it or choose another --logdir`;
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files; close writers you no longer use or raise the limit (ulimit -n)';
    case 'EIO':
      return `the device holding ${dir} reported an I/O error; check it or choose another --logdir`;
    default:
      return `check that ${dir} is a writable directory or choose another --logdir`;
  }
}

/**
 * Wraps `err` (from an fs call on `file`, in directory `dir`, while doing `what`) in an Error whose
 * message names the file, the errno and the fix. The original error is kept as `cause`.
 */
export function describeIoError(err: unknown, what: string, file: string, dir: string): EventWriteError {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const detail = code ? `${code}${e.syscall ? ` (${e.syscall})` : ''}` : String(e?.message ?? err);
  return new EventWriteError(`tbkit: cannot ${what} ${file}: ${detail}; ${fixFor(code, dir)}`, {
    cause: err,
    path: file,
    code,
    errno: typeof e?.errno === 'number' ? e.errno : undefined,
    syscall: e?.syscall || undefined,
  });
}

/** Delivers a writer's failure: to `onError`, to the emitter's 'error' listeners, or else as one stderr line. */
export function deliverWriteError(err: EventWriteError, onError: ((err: Error) => void) | undefined, emitter: EventEmitter): void {
  let delivered = false;
  if (onError) {
    delivered = true;
    try { onError(err); } catch { /* a throwing callback must not break logging */ }
  }
  if (emitter.listenerCount('error') > 0) {
    delivered = true;
    emitter.emit('error', err);
  }
  if (!delivered) {
    try { process.stderr.write(`${err.message} (further events to this file are dropped)\n`); } catch { /* stderr closed */ }
  }
}
