/**
 * Argument checks shared by every SummaryWriter method.
 *
 * Every error says which argument of which method was wrong, what was received and what is
 * expected, e.g. `SummaryWriter.scalar: step must be a finite non-negative integer (number) or a
 * non-negative bigint; received -1`.
 */

export type Step = number | bigint;

/** Largest step an int64 varint can carry. */
const MAX_INT64 = (1n << 63n) - 1n;

/** Thrown for a bad argument; a TypeError so that `instanceof TypeError` checks keep working. */
export class TbkitArgumentError extends TypeError {
  constructor(
    readonly method: string,
    readonly argument: string,
    message: string,
  ) {
    super(`${method}: ${message}`);
    this.name = 'TbkitArgumentError';
  }
}

/** A short, safe rendering of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  const t = typeof value;
  if (t === 'string') {
    const s = value as string;
    return JSON.stringify(s.length > 60 ? s.slice(0, 57) + '...' : s);
  }
  if (t === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (t === 'bigint') return `${String(value)}n`;
  if (t === 'boolean' || t === 'symbol') return String(value);
  if (t === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as { length?: number }).length ?? value.byteLength}`;
  if (value instanceof Promise) return 'a Promise';
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name} object` : 'an object';
}

export function argError(method: string, argument: string, expected: string, received: unknown): TbkitArgumentError {
  return new TbkitArgumentError(method, argument, `${argument} must be ${expected}; received ${describe(received)}`);
}

/** A tag: a non-empty string without NUL characters. */
export function checkTag(method: string, tag: unknown, argument = 'tag'): string {
  if (typeof tag !== 'string' || tag.length === 0 || tag.includes('\0')) {
    throw argError(method, argument, 'a non-empty string without NUL characters', tag);
  }
  return tag;
}

/** A step: a finite non-negative integer number (≤ 2^53-1) or a non-negative bigint (≤ 2^63-1). */
export function checkStep(method: string, step: unknown, argument = 'step'): Step {
  if (typeof step === 'number') {
    if (step >= 0 && step <= Number.MAX_SAFE_INTEGER && Math.floor(step) === step) return step;
  } else if (typeof step === 'bigint') {
    if (step >= 0n && step <= MAX_INT64) return step;
  }
  throw argError(
    method,
    argument,
    'a finite non-negative integer number (at most Number.MAX_SAFE_INTEGER) or a non-negative bigint (at most 2^63-1)',
    step,
  );
}

/** A wall time in seconds: a finite number. */
export function checkWallTime(method: string, wallTime: unknown, argument = 'options.wallTime'): number {
  if (typeof wallTime !== 'number' || !Number.isFinite(wallTime)) {
    throw argError(method, argument, 'a finite number of seconds since the epoch', wallTime);
  }
  return wallTime;
}

export function checkOptionalString(method: string, value: unknown, argument: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw argError(method, argument, 'a string', value);
  return value;
}

export function checkPositiveInt(method: string, value: unknown, argument: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw argError(method, argument, `an integer between 1 and ${max}`, value);
  }
  return value;
}

/** A path component derived from a tag (embeddings): no separators, no `..`, no NUL. */
export function checkPathTag(method: string, tag: unknown, argument = 'options.tag'): string {
  checkTag(method, tag, argument);
  const s = tag as string;
  if (s === '.' || s === '..' || /[\\/:]/.test(s)) {
    throw argError(method, argument, 'a single path component (no "/", "\\", ":", "." or "..")', tag);
  }
  return s;
}

/**
 * A directory given by the caller (a hook's `outputDir`, `session.writerFor(dir)`): a non-empty string
 * without NUL and without `..` segments, so that a name coming from a config file cannot climb out of
 * the log directory. Absolute paths are accepted (a run directory is a path, not a name); resolve a
 * relative path that needs `..` first (`path.resolve('../logs/eval')`).
 */
export function checkDirPath(method: string, dir: unknown, argument: string): string {
  if (typeof dir !== 'string' || dir.length === 0 || dir.includes('\0')) {
    throw argError(method, argument, 'a non-empty directory path without NUL characters', dir);
  }
  if (dir.split(/[\\/]/).includes('..')) {
    throw argError(method, argument, 'a directory path without ".." segments (pass an absolute path, e.g. path.resolve(dir))', dir);
  }
  return dir;
}
