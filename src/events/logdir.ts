/**
 * Run discovery, TensorBoard's rule: a run is any directory under the logdir (recursively, symlinks
 * followed) that directly contains a file whose basename contains "tfevents"; its name is the path
 * relative to the logdir ('.' for the logdir itself), with '/' separators on every platform.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RunInfo {
  /** Relative path, '.' for the root. */
  name: string;
  dir: string;
  /** Full paths of the *tfevents* files, in basename order (the order TensorBoard reads them). */
  files: string[];
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function listRuns(logdir: string): RunInfo[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(logdir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`tbkit: log directory ${logdir} cannot be read (${code}); check the --logdir path`, { cause: err });
  }
  if (!st.isDirectory()) throw new Error(`tbkit: log directory ${logdir} is not a directory; pass the directory that holds the runs`);

  const runs: RunInfo[] = [];
  const seen = new Set<string>(); // real paths already visited: symlink cycles must terminate
  const walk = (dir: string, rel: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable subdirectory must not hide the other runs
    }
    const files: string[] = [];
    const subdirs: string[] = [];
    for (const e of entries) {
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const s = fs.statSync(path.join(dir, e.name));
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isFile && e.name.includes('tfevents')) files.push(e.name);
      else if (isDir) subdirs.push(e.name);
    }
    if (files.length > 0) {
      files.sort(byCodeUnits);
      runs.push({ name: rel, dir, files: files.map((f) => path.join(dir, f)) });
    }
    for (const d of subdirs) walk(path.join(dir, d), rel === '.' ? d : `${rel}/${d}`);
  };
  walk(logdir, '.');
  runs.sort((a, b) => byCodeUnits(a.name, b.name));
  return runs;
}
