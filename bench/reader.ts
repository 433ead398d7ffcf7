/**
 * Reading an event file back: the full reader (readRun, readRunColumns), the fast scan it is built
 * on, and the scan alone, on a file SummaryWriter just wrote (so from the page cache: CPU cost,
 * not disk speed), both CRCs of every record checked.
 */
import * as fs from 'node:fs';
import { SummaryWriter } from '../src/summary/summary-writer';
import { readRun, readRunColumns } from '../src/events';
import { decodeScalarEvent, newScalarScratch } from '../src/events/runs/scalar-event-decoder';
import { scanRecordFile } from '../src/record';
import { logScalars } from './scalar-stream';
import { MB, median, tempDir, timeRepeats } from './util';

export interface ReaderBenchRow {
  /** 'readRun' | 'scan+decode' | 'scan (CRC only)' | 'readRunColumns' */
  name: string;
  records: number;
  ms: number[];
  /** records / median time */
  eventsPerSec: number;
  /** records / fastest repeat (best-of-N: the figure least disturbed by other processes) */
  bestEventsPerSec: number;
  MBPerSec: number;
}

export interface ReaderBenchResult {
  scalars: number;
  fileBytes: number;
  repeats: number;
  /** readRun, scan + decode, scan alone (this order: bench/run.ts reads rows[0] and rows[1]). */
  rows: ReaderBenchRow[];
  /** readRunColumns([file]): the columnar reader `tbkit export` uses (kept out of `rows`, whose shape is fixed). */
  columns: ReaderBenchRow;
  /** One line: the decode, readRunColumns and readRun rates side by side (best-of-N and median). */
  summary: string;
}

/**
 * Scalar events/s decoded from an event file written by SummaryWriter (4 tags), with both CRCs of
 * every record checked: `readRun([file])` (the full reader: purge rules, tag table, one object per
 * point), the fast scan it is built on (`scanRecordFile` + `decodeScalarEvent`), the scan alone, and
 * `readRunColumns([file])` (same reader, points as Float64Array columns: what export uses).
 * The file was just written, so it is read from the page cache: this is CPU cost, not disk speed.
 * Each is timed in its own block (warm-up, then its repeats), in this order, not interleaved: an
 * interleaved readRun pays for the garbage of the readRunColumns call before it (its column
 * buffers), which no real caller of readRun does.
 */
export async function benchReader(opts: { scalars: number; repeats: number; warmup?: number }): Promise<ReaderBenchResult> {
  const { dir, cleanup } = tempDir('reader');
  try {
    const w = new SummaryWriter(dir);
    logScalars(w, opts.scalars);
    await w.close();
    const file = w.path;
    const fileBytes = fs.statSync(file).size;
    const warmup = opts.warmup ?? 1;
    const fail = (p: { message: string }) => { throw new Error(`bench file has a problem: ${p.message}`); };

    // A local binding, as readRun has: an imported function is read through an exports getter at
    // every call under CommonJS, which would be measured here but not in readRun.
    const decode = decodeScalarEvent;
    const s = newScalarScratch();
    const cases: Array<{ name: string; run: () => number }> = [
      {
        name: 'readRun([file])',
        run: () => {
          const run = readRun([file]);
          if (run.problems.length) fail(run.problems[0]);
          let points = 0;
          for (const pts of run.scalars.values()) points += pts.length;
          if (points !== opts.scalars) throw new Error(`readRun found ${points} points, expected ${opts.scalars}`);
          return run.records;
        },
      },
      {
        name: 'scanRecordFile + decodeScalarEvent',
        run: () => {
          let decoded = 0, sum = 0, records = 0;
          scanRecordFile(file, (b, start, end) => {
            records++;
            if (decode(b, start, end, s)) {
              decoded++;
              sum += s.value + s.step;
            }
          }, fail);
          if (!Number.isFinite(sum)) throw new Error('unreachable'); // keeps `sum` alive
          if (decoded !== opts.scalars) throw new Error(`scan decoded ${decoded} scalars, expected ${opts.scalars}`);
          return records;
        },
      },
      {
        name: 'scanRecordFile (CRCs only)',
        run: () => {
          let records = 0;
          scanRecordFile(file, () => { records++; }, fail);
          return records;
        },
      },
      {
        name: 'readRunColumns([file])',
        run: () => {
          const run = readRunColumns([file]);
          if (run.problems.length) fail(run.problems[0]);
          let points = 0;
          for (const c of run.scalars.values()) points += c.length;
          if (points !== opts.scalars) throw new Error(`readRunColumns found ${points} points, expected ${opts.scalars}`);
          return run.records;
        },
      },
    ];
    const all: ReaderBenchRow[] = [];
    for (const c of cases) {
      let records = 0;
      const ms = await timeRepeats(warmup, opts.repeats, () => { records = c.run(); });
      all.push(row(c.name, records, ms, fileBytes));
    }
    const rows = all.slice(0, 3);
    const columns = all[3];
    const rate = (x: ReaderBenchRow) => `${(x.bestEventsPerSec / 1e6).toFixed(2)} M/s (median ${(x.eventsPerSec / 1e6).toFixed(2)})`;
    const summary = `reader, ${opts.scalars} scalars, CRCs checked, best of ${opts.repeats}: decode ${rate(rows[1])} | readRunColumns ${rate(columns)} | readRun ${rate(rows[0])} | CRCs only ${rate(rows[2])}`;
    return { scalars: opts.scalars, fileBytes, repeats: opts.repeats, rows, columns, summary };
  } finally {
    cleanup();
  }
}

function row(name: string, records: number, ms: number[], bytes: number): ReaderBenchRow {
  const sec = median(ms) / 1000;
  return { name, records, ms, eventsPerSec: records / sec, bestEventsPerSec: records / (Math.min(...ms) / 1000), MBPerSec: bytes / MB / sec };
}

