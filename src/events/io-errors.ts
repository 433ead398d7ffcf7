/**
 * Turning a raw fs error into one message a user can act on: which file, which errno, and the fix.
 *
 * Writers report I/O errors instead of throwing them into the training loop (losing a log must not kill
 * a multi-hour job), so the message is all the user gets: it has to be complete on its own.
 */

export interface EventWriteError extends Error {
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
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
  const out: EventWriteError = new Error(`tbkit: cannot ${what} ${file}: ${detail}; ${fixFor(code, dir)}`, { cause: err });
  out.name = 'EventWriteError';
  if (code) out.code = code;
  if (typeof e?.errno === 'number') out.errno = e.errno;
  if (e?.syscall) out.syscall = e.syscall;
  out.path = file;
  return out;
}
