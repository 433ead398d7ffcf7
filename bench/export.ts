/**
 * Export throughput: generates a run with N scalar points (TF2-style rank-0 DT_FLOAT tensor scalars,
 * `scalars` metadata on each tag's first value, 4 tags interleaved per step, framed with
 * `frameRecords`), then times `tbkit export --format csv` in-process, to a file and to /dev/null.
 * With `repeats` > 1 the two alternate and the fastest of each is reported (best-of-N: on a shared
 * machine the least disturbed run); the default is one timing of each.
 *
 *   npx tsx bench/export.ts [points=1000000] [repeats=1]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { frameRecords } from '../src/record';
import { T, DT, DataClass } from '../src/proto';
import { exportLogdir } from '../src/cli/export';
import { TextSink } from '../src/cli/output';

export interface BenchExportResult {
  points: number;
  /** Fastest of the repeats (the only one when repeats = 1). */
  seconds: number;
  pointsPerSec: number;
  bytes: number;
  repeats: number;
  /** Every repeat's seconds, to a file. */
  allSeconds: number[];
  /** Same export written to /dev/null (no disk cost); fastest of the repeats. */
  devNull?: { seconds: number; pointsPerSec: number; allSeconds: number[] };
  /** Size of the event file read. */
  inputBytes?: number;
  generateSeconds?: number;
}

const TAGS = ['loss', 'accuracy', 'learning_rate', 'grad_norm'];

function scalarEvent(tag: string, step: number, wallTime: number, value: number, withMeta: boolean): Uint8Array {
  const v: Record<string, unknown> = {
    tag,
    tensor: { dtype: DT.FLOAT, tensor_shape: {}, float_val: [value] },
  };
  if (withMeta) v.metadata = { plugin_data: { plugin_name: 'scalars', content: new Uint8Array(0) }, data_class: DataClass.SCALAR };
  return T.Event.encode(T.Event.fromObject({ wall_time: wallTime, step, summary: { value: [v] } })).finish();
}

/** Writes `points` scalar points into `<dir>/run_0/events.out.tfevents.…`; returns the file path. */
export function generateScalarLog(dir: string, points: number): string {
  const runDir = path.join(dir, 'run_0');
  fs.mkdirSync(runDir, { recursive: true });
  const file = path.join(runDir, 'events.out.tfevents.1700000000.bench.0.0');
  const fd = fs.openSync(file, 'w');
  try {
    const base = 1700000000;
    const header = T.Event.encode(T.Event.fromObject({ wall_time: base, file_version: 'brain.Event:2' })).finish();
    fs.writeSync(fd, frameRecords([header]));
    let batch: Uint8Array[] = [];
    for (let i = 0; i < points; i++) {
      const step = Math.floor(i / TAGS.length);
      const t = i % TAGS.length;
      const value = t === 0 ? 2 / (1 + step / 1000) + Math.sin(step) * 0.01 : t === 1 ? 1 - 1 / (1 + step / 500) : t === 2 ? 1e-3 * Math.pow(0.5, step / 100000) : Math.abs(Math.cos(step / 7));
      batch.push(scalarEvent(TAGS[t], step, base + 10 + step * 0.125 + t * 0.001, value, step === 0));
      if (batch.length === 10000) {
        fs.writeSync(fd, frameRecords(batch));
        batch = [];
      }
    }
    if (batch.length) fs.writeSync(fd, frameRecords(batch));
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

async function timeExport(logdir: string, out: string): Promise<{ seconds: number; points: number; bytes: number }> {
  const sink = TextSink.open(out);
  const t0 = process.hrtime.bigint();
  const stats = await exportLogdir(logdir, sink, { format: 'csv' });
  await sink.end();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, points: stats.points, bytes: stats.bytes };
}

export async function benchExport(opts: { points: number; repeats?: number }): Promise<BenchExportResult> {
  const repeats = Math.max(1, opts.repeats ?? 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-bench-export-'));
  try {
    const g0 = process.hrtime.bigint();
    const file = generateScalarLog(dir, opts.points);
    const generateSeconds = Number(process.hrtime.bigint() - g0) / 1e9;
    const hasDevNull = fs.existsSync('/dev/null');
    const fileSecs: number[] = [], nullSecs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < repeats; i++) {
      const toFile = await timeExport(dir, path.join(dir, 'out.csv'));
      if (toFile.points !== opts.points) throw new Error(`exported ${toFile.points} points, expected ${opts.points}`);
      fileSecs.push(toFile.seconds);
      bytes = toFile.bytes;
      if (hasDevNull) nullSecs.push((await timeExport(dir, '/dev/null')).seconds);
    }
    const best = Math.min(...fileSecs);
    let devNull: BenchExportResult['devNull'];
    if (hasDevNull) {
      const b = Math.min(...nullSecs);
      devNull = { seconds: b, pointsPerSec: opts.points / b, allSeconds: nullSecs };
    }
    return {
      points: opts.points,
      seconds: best,
      pointsPerSec: opts.points / best,
      bytes,
      repeats,
      allSeconds: fileSecs,
      devNull,
      inputBytes: fs.statSync(file).size,
      generateSeconds,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const points = Number(process.argv[2] ?? 1_000_000);
  const repeats = Number(process.argv[3] ?? 1);
  if (!Number.isInteger(points) || points <= 0 || !Number.isInteger(repeats) || repeats <= 0) {
    process.stderr.write('usage: npx tsx bench/export.ts [points] [repeats]\n');
    process.exit(2);
  }
  benchExport({ points, repeats }).then(
    (r) => {
      const mb = (n: number) => (n / 1048576).toFixed(1) + ' MiB';
      process.stdout.write(
        `export --format csv of ${r.points} points (${mb(r.inputBytes ?? 0)} of events → ${mb(r.bytes)} of CSV), ${r.repeats > 1 ? `best of ${r.repeats}` : 'one timing'}\n` +
          `  to a file:    ${r.seconds.toFixed(3)} s, ${Math.round(r.pointsPerSec).toLocaleString('en-US')} points/s\n` +
          (r.devNull ? `  to /dev/null: ${r.devNull.seconds.toFixed(3)} s, ${Math.round(r.devNull.pointsPerSec).toLocaleString('en-US')} points/s\n` : '') +
          `  (generating the log took ${r.generateSeconds?.toFixed(1)} s)\n` +
          JSON.stringify(r) + '\n',
      );
    },
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
      process.exit(1);
    },
  );
}
