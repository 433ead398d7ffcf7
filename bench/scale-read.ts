/**
 * Child process of the scale rows (bench/scale.ts): reads every run of a logdir with
 * readRunColumns, `repeats` times after one untimed read (JIT warm-up), in a process of its own so
 * that its peak RSS is this reading's alone. Prints one JSON line.
 *
 *   node --import tsx bench/scale-read.ts LOGDIR REPEATS
 */
import { listRuns, readRunColumns } from '../src/events';
import { MB, median, nowMs } from './util';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { peakRssKB } = require('./child-usage.cjs') as { peakRssKB: () => number };

export interface ScaleReadResult {
  runs: number;
  points: number;
  /** Per timed repeat, ms for the whole logdir. */
  ms: number[];
  nsPerPoint: number;
  /** RSS after the imports, before the first read. */
  baselineRssMB: number;
  peakRssMB: number;
}

function readAll(logdir: string): { runs: number; points: number } {
  const runs = listRuns(logdir);
  let points = 0;
  for (const r of runs) {
    const data = readRunColumns(r.files);
    if (data.problems.length > 0) throw new Error(`${r.name}: ${data.problems[0].message}`);
    for (const c of data.scalars.values()) points += c.length;
  }
  return { runs: runs.length, points };
}

if (require.main === module) {
  const [logdir, repeatsArg] = process.argv.slice(2);
  const repeats = Number(repeatsArg ?? 3);
  const baselineRssMB = process.memoryUsage().rss / MB;
  let got = readAll(logdir);
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = nowMs();
    got = readAll(logdir);
    ms.push(nowMs() - t0);
  }
  const out: ScaleReadResult = { ...got, ms, nsPerPoint: (median(ms) * 1e6) / got.points, baselineRssMB, peakRssMB: peakRssKB() / 1024 };
  console.log(JSON.stringify(out));
}
