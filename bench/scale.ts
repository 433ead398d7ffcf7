/**
 * Scale: the reader's cost per point and the memory of reading, exporting and comparing, from
 * 10 k to 10 M points in one run and from 1 to 1 000 runs (generated logdirs, bench/logdir.ts, one
 * at a time, removed after use). readRunColumns runs in a child process per logdir
 * (bench/scale-read.ts: warm-up read, then timed reads, its own peak RSS); `tbkit export` (CSV, to
 * /dev/null) and `tbkit compare` run as processes of the installed CLI, with their peak RSS.
 * A logdir's points as columns take 24 bytes each: a tool holding every run at once grows by that
 * much per added run; one that streams run by run does not grow with the number of runs.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { timeNode } from './child-process';
import { generateLogdir } from './logdir';
import type { ScaleReadResult } from './scale-read';
import { MB, tempDir } from './util';

export interface ScaleSize { runs: number; pointsPerRun: number }

export interface ScaleRow extends ScaleSize {
  points: number;
  fileMB: number;
  read: ScaleReadResult;
  /** Best-of-repeats ns per point (the least disturbed read). */
  bestNsPerPoint: number;
  export: { seconds: number; peakRssMB?: number };
  compare: { seconds: number; peakRssMB?: number };
}

export interface ScaleResult {
  rows: ScaleRow[];
  /** Highest ÷ lowest best ns/point over the rows: 1 is perfectly flat. */
  nsPerPointSpread: number;
  /** The run counts compared: the most runs of 10 k points, and the next fewer. */
  manyRuns: { from: number; to: number };
  /** Peak RSS of export and compare on the most runs minus on the next fewer runs, in MB. */
  manyRunsGrowthMB: { export?: number; compare?: number };
  /** The columns (24 B/point) of the runs added between the two: what holding every run would add. */
  manyRunsColumnsMB: number;
}

/** Timed reads per logdir: a few million points in all, at least 2. */
export function readRepeats(points: number): number {
  return Math.min(200, Math.max(2, Math.ceil(3e6 / points)));
}

function readInChild(logdir: string, repeats: number): ScaleReadResult {
  const r = spawnSync(process.execPath, [...process.execArgv, path.join(__dirname, 'scale-read.ts'), logdir, String(repeats)], { encoding: 'utf8' });
  const line = r.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) throw new Error(`scale-read.ts ${logdir}: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}`);
  return JSON.parse(line) as ScaleReadResult;
}

export async function benchScale(cliBin: string, sizes: readonly ScaleSize[], log: (m: string) => void = () => undefined): Promise<ScaleResult> {
  const rows: ScaleRow[] = [];
  for (const size of sizes) {
    const { dir, cleanup } = tempDir('scale');
    try {
      log(`scale: ${size.runs} run(s) × ${size.pointsPerRun} points`);
      const ld = await generateLogdir(path.join(dir, 'logdir'), size);
      const read = readInChild(ld.dir, readRepeats(ld.totalPoints));
      if (read.points !== ld.totalPoints) throw new Error(`scale-read.ts read ${read.points} points of ${ld.totalPoints}`);
      const usage = path.join(dir, 'usage.json');
      const ex = await timeNode([cliBin, 'export', ld.dir, '-o', '/dev/null'], usage);
      const cmp = await timeNode([cliBin, 'compare', ld.dir], usage);
      rows.push({
        ...size,
        points: ld.totalPoints,
        fileMB: ld.bytes / MB,
        read,
        bestNsPerPoint: (Math.min(...read.ms) * 1e6) / read.points,
        export: { seconds: ex.seconds, peakRssMB: ex.peakRssMB },
        compare: { seconds: cmp.seconds, peakRssMB: cmp.peakRssMB },
      });
    } finally {
      cleanup();
    }
  }
  const ns = rows.map((r) => r.bestNsPerPoint);
  // Peak RSS includes garbage the GC has not collected yet (freed columns of earlier runs), a
  // bounded lag; so the streaming check compares two large run counts, not 1 run with 1 000.
  const many = rows.filter((r) => r.pointsPerRun === 10_000).sort((a, b) => a.runs - b.runs);
  const [fewer, most] = many.length >= 2 ? many.slice(-2) : [undefined, undefined];
  const growth = (k: 'export' | 'compare'): number | undefined => {
    const a = fewer?.[k].peakRssMB, b = most?.[k].peakRssMB;
    return a === undefined || b === undefined ? undefined : b - a;
  };
  return {
    rows,
    nsPerPointSpread: Math.max(...ns) / Math.min(...ns),
    manyRuns: { from: fewer?.runs ?? 0, to: most?.runs ?? 0 },
    manyRunsGrowthMB: { export: growth('export'), compare: growth('compare') },
    manyRunsColumnsMB: (((most?.points ?? 0) - (fewer?.points ?? 0)) * 24) / MB,
  };
}
