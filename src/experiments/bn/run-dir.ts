/**
 * Where a run's files go. An existing run directory is never silently mixed into: TensorBoard
 * would merge the old and new curves into one zig-zag line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RunDirChoice {
  dir: string;
  /** The name shown in TensorBoard (the directory name under the logdir). */
  name: string;
  /** True when an existing directory is continued (--resume). */
  resumed: boolean;
  /** A human note when the directory is not the plain `<logdir>/<name>`. */
  note?: string;
}

function hasContent(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/**
 * - `resume`: continue `<logdir>/<name>` (created if missing).
 * - `overwrite`: delete it first.
 * - otherwise: the first of `<name>`, `<name>-2`, `<name>-3`, … that is empty or absent.
 */
export function chooseRunDir(logdir: string, name: string, opts: { overwrite: boolean; resume: boolean }): RunDirChoice {
  // The run name becomes a directory that --overwrite deletes: it must be one plain path component.
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || /[\\/\0]/.test(name) || path.isAbsolute(name)) {
    throw new Error(`run name must be a single directory name (no "/", "\\", NUL, "." or ".."), got ${JSON.stringify(name)}`);
  }
  if (typeof logdir !== 'string' || logdir === '' || logdir.includes('\0')) {
    throw new Error(`logdir must be a non-empty path without NUL characters, got ${JSON.stringify(logdir)}`);
  }
  const plain = path.join(logdir, name);
  if (opts.resume) {
    return { dir: plain, name, resumed: hasContent(plain), note: hasContent(plain) ? undefined : `nothing to resume in ${plain}; starting a new run` };
  }
  if (opts.overwrite) {
    if (fs.existsSync(plain)) fs.rmSync(plain, { recursive: true, force: true });
    return { dir: plain, name, resumed: false };
  }
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : `${name}-${i}`;
    const dir = path.join(logdir, candidate);
    if (!hasContent(dir)) {
      const note = i === 1 ? undefined : `${plain} already holds a run; writing ${dir} (use --overwrite to replace, --resume to continue)`;
      return { dir, name: candidate, resumed: false, note };
    }
  }
}
