/**
 * How long a logged value waits before it is on disk (in the page cache, where TensorBoard reads
 * it), and how many write() calls logging makes: `npx tsx bench/flush-latency.ts [--quick]`.
 *
 * - Sparse logging: one scalar every `intervalMs` (slower than one per flush interval and so never
 *   filling a batch of maxQueue events), timed from the scalar() call to the write() that carried
 *   it. Every interval longer than the flush interval behaves alike: each value waits alone for
 *   the timer. The sizes are options so that the bench's own test can scale the time down.
 * - A hot loop: N scalars in one synchronous loop, and N scalars over steps that each log a few
 *   and yield to the event loop (a training loop), counting write() calls: batching must stay
 *   one write per batch, not one per timer tick or per value.
 *
 * The write() calls are counted by wrapping fs.writeSync, which the event file writer calls once
 * per batch. Nothing here asserts on times: the bench reports, it never fails on speed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SummaryWriter, type SummaryWriterOptions } from '../src/index';
import { fmtNum, median, nowMs } from './util';

export interface FlushLatencyOptions {
  /** Gaps between the sparse scalars, one series each (default: 2000 ms, and 300 ms unless quick). */
  intervalsMs?: number[];
  /** Scalars per sparse series (default 4). */
  calls?: number;
  /** Scalars in each hot loop (default 100 000). */
  hotScalars?: number;
  /** Scalars per step of the yielding loop (default 3). */
  perStep?: number;
  /** Writer options for every series (default: the defaults, which is what is measured). */
  writer?: SummaryWriterOptions;
}

export interface SparseRow { intervalMs: number; calls: number; worstMs: number; medianMs: number; latenciesMs: number[] }
export interface HotRow { loop: string; scalars: number; writes: number; scalarsPerWrite: number; expectedWrites: number }
export interface FlushLatencyResult { sparse: SparseRow[]; hot: HotRow[]; worstMs: number; maxQueue: number; summary: string }

/** Calls `onWrite` on every fs.writeSync while `body` runs (the writer's one write per batch). */
async function countingWrites<T>(onWrite: () => void, body: () => Promise<T>): Promise<T> {
  const mod = require('node:fs') as typeof fs;
  const real = mod.writeSync;
  mod.writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    onWrite();
    return (real as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  try {
    return await body();
  } finally {
    mod.writeSync = real;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

async function sparseSeries(dir: string, intervalMs: number, calls: number, opts: SummaryWriterOptions): Promise<SparseRow> {
  const latencies: number[] = [];
  const waiting: number[] = []; // call times of the values not yet written, in call order
  let w: SummaryWriter | undefined;
  await countingWrites(() => {
    // A batch holds every value pending at that moment.
    const t = nowMs();
    for (const called of waiting.splice(0)) latencies.push(t - called);
  }, async () => {
    w = new SummaryWriter(path.join(dir, `sparse-${intervalMs}`), opts);
    for (let i = 1; i <= calls; i++) {
      waiting.push(nowMs());
      w.scalar('sparse', i, i);
      await sleep(intervalMs);
    }
    // The last value had a whole interval, longer than the flush timer, to reach the disk.
    await w.close();
  });
  return { intervalMs, calls, worstMs: Math.max(...latencies), medianMs: median(latencies), latenciesMs: latencies };
}

async function hotLoop(dir: string, name: string, scalars: number, perStep: number, opts: SummaryWriterOptions): Promise<HotRow> {
  let writes = 0;
  let counting = false;
  const maxQueue = opts.maxQueue ?? 10;
  let expectedWrites = 0;
  // The writer takes its fs functions when it is made: made inside, its writes are seen.
  await countingWrites(() => void (counting && writes++), async () => {
    const w = new SummaryWriter(path.join(dir, name), opts);
    counting = true; // after the file_version record, which is not logging's
    if (perStep === 0) {
      for (let i = 1; i <= scalars; i++) w.scalar('hot', i, i);
      await yieldToLoop();
      // The pending buffer is written as it passes its high-water mark (1 MiB), the rest on the next turn.
      expectedWrites = Math.ceil(fs.statSync(w.path).size / (1 << 20));
    } else {
      let step = 0;
      for (let i = 1; i <= scalars;) {
        step++;
        for (let k = 0; k < perStep && i <= scalars; k++, i++) w.scalar(`hot${k}`, i, step);
        await yieldToLoop();
      }
      // One write on the turn after a step that brings the batch to maxQueue values.
      expectedWrites = Math.floor(scalars / (Math.ceil(maxQueue / perStep) * perStep));
    }
    counting = false;
    await w.close();
  });
  return { loop: name, scalars, writes, scalarsPerWrite: scalars / Math.max(1, writes), expectedWrites };
}

export async function benchFlushLatency(o: FlushLatencyOptions & { quick?: boolean } = {}): Promise<FlushLatencyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-bench-flush-'));
  const opts = o.writer ?? {};
  try {
    const sparse: SparseRow[] = [];
    for (const ms of o.intervalsMs ?? (o.quick ? [2000] : [2000, 300])) sparse.push(await sparseSeries(dir, ms, o.calls ?? 4, opts));
    const n = o.hotScalars ?? 100_000;
    const perStep = o.perStep ?? 3;
    const hot = [
      await hotLoop(dir, 'synchronous loop', n, 0, opts),
      await hotLoop(dir, `loop yielding every ${perStep} scalars`, n, perStep, opts),
    ];
    const worstMs = Math.max(...sparse.map((s) => s.worstMs));
    const maxQueue = opts.maxQueue ?? 10;
    const lines = [
      ...sparse.map((s) => `one scalar every ${fmtNum(s.intervalMs / 1000, 1)} s (${s.calls} calls): call to disk worst ${fmtNum(s.worstMs, 0)} ms, median ${fmtNum(s.medianMs, 0)} ms`),
      ...hot.map((h) => `${h.loop}: ${h.scalars} scalars, ${h.writes} write() calls (${fmtNum(h.scalarsPerWrite, 0)} scalars each; one per batch: ${h.expectedWrites})`),
    ];
    return { sparse, hot, worstMs, maxQueue, summary: lines.join('\n') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchFlushLatency({ quick: process.argv.includes('--quick') })
    .then((r) => console.log(r.summary))
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
