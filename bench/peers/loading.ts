/**
 * Loading a generated logdir (bench/logdir.ts), side by side in the same minutes: real
 * TensorBoard until every point is served over its HTTP API (bench/peers/tensorboard-load.ts), with
 * RustBoard and with the Python loader, against tbkit reading the same points: `readRunColumns`
 * over every run in this process, and `tbkit export --format json` (every point out as JSON, as
 * the HTTP API serves them) and `tbkit compare` (every point read, one summary row per run) as
 * processes of the installed CLI (bench/compiled-cli.ts), their start counted.
 *
 * Rounds alternate the order (RustBoard first, then last); each speed-up is the median over rounds
 * of RustBoard's time ÷ tbkit's in the same round. The Python loader runs once per size (it is
 * slow enough that repeats would dominate the bench) or is skipped for a size with its reason.
 */
import * as path from 'node:path';
import { listRuns, readRunColumns } from '../../src/events';
import { timeNode } from '../child-process';
import { generateLogdir, type GeneratedLogdir } from '../logdir';
import { median, nowMs, ratio, tempDir } from '../util';
import { missingPeer, type PeerPython } from './python';
import { timeTensorBoardLoad } from './tensorboard-load';

export interface LoadingSize {
  name: string;
  runs: number;
  pointsPerRun: number;
  rounds: number;
  /** true: time the Python loader once; a string: why it is skipped for this size. */
  pythonLoader: true | string;
  /** The size the loading target is judged on (the reference logdir). */
  judged?: boolean;
}

export type LoaderName = 'rustboard' | 'python-loader' | 'readRunColumns' | 'export' | 'compare';

export const LOADER_LABELS: Record<LoaderName, string> = {
  rustboard: 'TensorBoard --load_fast=true (RustBoard), until every point is served',
  'python-loader': 'TensorBoard --load_fast=false (Python loader), until every point is served',
  readRunColumns: 'readRunColumns over every run (in this process)',
  export: 'tbkit export --format json -o /dev/null (process)',
  compare: 'tbkit compare (process)',
};

export interface LoaderRow {
  loader: LoaderName;
  seconds: number[];
  cpuSeconds: number[];
  peakRssMB?: number;
}

export interface LoadingResult {
  size: LoadingSize;
  points: number;
  bytes: number;
  rows: LoaderRow[];
  /** Median over rounds of RustBoard's seconds ÷ this loader's seconds. */
  speedupVsRustboard: Partial<Record<LoaderName, number>>;
  skipped: Partial<Record<LoaderName, string>>;
}

function readEveryRun(ld: GeneratedLogdir): { seconds: number; cpuSeconds: number } {
  const c0 = process.cpuUsage();
  const t0 = nowMs();
  let points = 0;
  for (const r of listRuns(ld.dir)) for (const c of readRunColumns(r.files).scalars.values()) points += c.length;
  const seconds = (nowMs() - t0) / 1000;
  if (points !== ld.totalPoints) throw new Error(`readRunColumns read ${points} points, the logdir has ${ld.totalPoints}`);
  const c = process.cpuUsage(c0);
  return { seconds, cpuSeconds: (c.user + c.system) / 1e6 };
}

/** Per round, the loaders in order: RustBoard first in even rounds, last in odd ones. */
export function roundOrder(loaders: readonly LoaderName[], round: number): LoaderName[] {
  return round % 2 === 0 ? [...loaders] : [...loaders].reverse();
}

export async function benchLoading(peer: PeerPython | string, cliBin: string, size: LoadingSize, log: (m: string) => void = () => undefined): Promise<LoadingResult> {
  const { dir, cleanup } = tempDir(`loading-${size.name}`);
  try {
    const ld = await generateLogdir(path.join(dir, 'logdir'), { runs: size.runs, pointsPerRun: size.pointsPerRun });
    const skipped: LoadingResult['skipped'] = {};
    const noTb = missingPeer(peer, 'tensorboard');
    const loaders: LoaderName[] = ['readRunColumns', 'export', 'compare'];
    if (noTb) skipped.rustboard = skipped['python-loader'] = noTb;
    else {
      loaders.unshift('rustboard');
      if (size.pythonLoader !== true) skipped['python-loader'] = size.pythonLoader;
    }
    const rows = new Map<LoaderName, LoaderRow>();
    const add = (loader: LoaderName, t: { seconds: number; cpuSeconds?: number; peakRssMB?: number }): void => {
      const row = rows.get(loader) ?? { loader, seconds: [], cpuSeconds: [] };
      row.seconds.push(t.seconds);
      if (t.cpuSeconds !== undefined) row.cpuSeconds.push(t.cpuSeconds);
      if (t.peakRssMB !== undefined) row.peakRssMB = Math.max(row.peakRssMB ?? 0, t.peakRssMB);
      rows.set(loader, row);
    };
    const usage = path.join(dir, 'usage.json');
    // Generous limits, so that only a stuck server fails the row: the Python loader is ~20× slower.
    const timeout = 120_000 + ld.totalPoints * 0.1;
    for (let round = 0; round < size.rounds; round++) {
      for (const loader of roundOrder(loaders, round)) {
        log(`loading ${size.name}: round ${round + 1}/${size.rounds}: ${loader}`);
        if (loader === 'rustboard') add(loader, await timeTensorBoardLoad((peer as PeerPython).tensorboard!, ld, 'rust', timeout));
        else if (loader === 'readRunColumns') add(loader, readEveryRun(ld));
        else if (loader === 'export') add(loader, await timeNode([cliBin, 'export', '--format', 'json', ld.dir, '-o', '/dev/null'], usage));
        else if (loader === 'compare') {
          const t = await timeNode([cliBin, 'compare', ld.dir], usage);
          const listed = ld.runs.filter((r) => t.stdout.includes(r)).length;
          if (listed !== ld.runs.length) throw new Error(`tbkit compare listed ${listed} of ${ld.runs.length} runs`);
          add(loader, t);
        }
      }
      if (round === 0 && !skipped['python-loader'] && !noTb) {
        log(`loading ${size.name}: the Python loader (once)`);
        add('python-loader', await timeTensorBoardLoad((peer as PeerPython).tensorboard!, ld, 'python', 120_000 + ld.totalPoints * 2));
      }
    }
    const order: LoaderName[] = ['rustboard', 'python-loader', 'readRunColumns', 'export', 'compare'];
    const out = order.flatMap((l) => rows.get(l) ?? []);
    const rust = rows.get('rustboard')?.seconds;
    const speedupVsRustboard: LoadingResult['speedupVsRustboard'] = {};
    if (rust) {
      for (const r of out) {
        if (r.loader === 'rustboard') continue;
        // The Python loader ran once: against the first round's RustBoard.
        speedupVsRustboard[r.loader] = median(r.seconds.map((s, i) => ratio(rust[i], s)));
      }
    }
    return { size, points: ld.totalPoints, bytes: ld.bytes, rows: out, speedupVsRustboard, skipped };
  } finally {
    cleanup();
  }
}
