/**
 * The fs calls on an event file: creating it (its directory, then the file itself, never one that
 * exists) and appending a batch to it.
 */
import * as path from 'node:path';
import { nextEventFileName } from './file-name';
import { describeIoError, type EventWriteError } from './io-errors';
import type { WriterFs } from './writer-options';

/** Exclusive-create attempts before giving up (each takes the next counter value). */
const MAX_OPEN_ATTEMPTS = 1000;

export type OpenResult = { fd: number; path: string } | { error: EventWriteError; path: string };

/** Creates `logdir` and a new event file in it; an fs failure is returned as an EventWriteError. */
export function openEventFile(fsx: WriterFs, logdir: string, fileWallTime: number, suffix: string): OpenResult {
  let file = path.join(logdir, nextEventFileName(fileWallTime, suffix));
  try {
    fsx.mkdirSync(logdir, { recursive: true });
  } catch (err) {
    return { error: describeIoError(err, 'create the log directory', logdir, logdir), path: file };
  }
  for (let attempt = 0; ; attempt++) {
    try {
      // 'wx': exclusive create. Two writers (threads, processes, containers sharing a hostname)
      // in one directory in the same second must never open — and truncate — the same file.
      return { fd: fsx.openSync(file, 'wx', 0o666), path: file };
    } catch (err) {
      if ((err as NodeJS.ErrnoException)?.code === 'EEXIST' && attempt < MAX_OPEN_ATTEMPTS) {
        file = path.join(logdir, nextEventFileName(fileWallTime, suffix));
        continue;
      }
      return { error: describeIoError(err, 'create event file', file, logdir), path: file };
    }
  }
}

/**
 * Appends buf[0, length) to the file with one write call (looping only on a short write). On
 * failure the file is cut back to `fileOffset` (best effort, so that it ends on a record boundary
 * and the records before this batch are untouched) and the fs error is thrown.
 */
export function appendBatch(fsx: WriterFs, fd: number, buf: Buffer, length: number, fileOffset: number): void {
  try {
    // Writing to an fd whose file was unlinked (log directory deleted mid-run) succeeds silently on
    // POSIX; every later event would vanish. A link count of 0 tells us, so report it as ENOENT.
    if (fsx.fstatSync(fd).nlink === 0) {
      throw Object.assign(new Error('event file was deleted'), { code: 'ENOENT', syscall: 'write' });
    }
    let off = 0;
    while (off < length) {
      const n = fsx.writeSync(fd, buf, off, length - off);
      if (!(n > 0)) throw Object.assign(new Error('write made no progress'), { code: 'EIO', syscall: 'write' });
      off += n;
    }
  } catch (err) {
    try { fsx.ftruncateSync(fd, fileOffset); } catch { /* the original error matters */ }
    throw err;
  }
}
