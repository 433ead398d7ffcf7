/** Shared by the subcommands: finding the runs of a logdir, problem classification, display paths, name order. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRuns, type RecordProblem, type RunInfo } from '../events';
import { UsageError } from './errors';
import { eventFileRun } from './event-file';
import { makeFilter } from './filters';

export type { RunInfo, RecordProblem };
export type { HParamValue } from '../aggregate';

/**
 * Runs of `logdir` whose names pass the --run patterns, or the one run of an event file; usage
 * errors when there are none.
 */
export function selectRuns(logdir: string, runPatterns?: readonly string[]): RunInfo[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(logdir);
  } catch {
    throw new UsageError(`no such log directory or event file: ${logdir}`);
  }
  if (st.isFile()) return [eventFileRun(logdir)];
  if (!st.isDirectory()) throw new UsageError(`not a directory or a file: ${logdir} (pass the log directory that holds the runs, or one event file)`);
  const all = listRuns(logdir);
  if (all.length === 0) throw new UsageError(`no runs found in ${logdir} (no file whose name contains "tfevents")`);
  const keep = makeFilter(runPatterns, '--run');
  const runs = all.filter((r) => keep(r.name));
  if (runs.length === 0) {
    throw new UsageError(`no run matches ${runPatterns!.map((p) => JSON.stringify(p)).join(', ')}; runs are: ${all.map((r) => r.name).join(', ')}`);
  }
  return runs;
}

/**
 * A truncated tail is only a warning: TensorBoard treats it as a record still being written and
 * retries later. Everything else (bad length CRC, bad data CRC, undecodable event) is corruption.
 */
export function isCorruption(p: Pick<RecordProblem, 'kind'>): boolean {
  return p.kind !== 'truncated';
}

/** Path relative to the logdir for display (absolute when outside it). */
export function displayPath(logdir: string, file: string): string {
  const rel = path.relative(logdir, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/** Comparator on UTF-16 code units (TensorBoard sorts run and tag names this way). */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
