/**
 * tbkit's SummaryWriter.scalar against tensorboardX's and torch.utils.tensorboard's add_scalar, on
 * the same scalar stream (bench/scalar-stream.ts, rebuilt by bench/peers/writers.py), timed the
 * same way on every side: from the first call until close() has flushed the file (construction
 * not timed). Rounds alternate the order (tbkit, tensorboardX, torch, then the reverse), and the
 * ratio is the median over rounds of the peer's time ÷ tbkit's in the same round. Every file is
 * read back: a side that did not write the whole stream fails the row.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunColumns } from '../../src/events';
import { SummaryWriter } from '../../src/summary/summary-writer';
import { logScalars, SCALAR_TAGS } from '../scalar-stream';
import { median, nowMs, ratio, tempDir } from '../util';
import { missingPeer, type PeerPython } from './python';

export type WriterName = 'tbkit' | 'tensorboardX' | 'torch.utils.tensorboard';

export interface WriterPeerRow {
  writer: WriterName;
  /** Per round: first call until closed. */
  seconds: number[];
  cpuSeconds: number[];
  scalarsPerSec: number;
  fileBytes: number;
}

export interface WriterPeersResult {
  scalars: number;
  rounds: number;
  rows: WriterPeerRow[];
  /** Median over rounds of peer seconds ÷ tbkit seconds (how many times faster tbkit is). */
  tbkitSpeedup: Partial<Record<WriterName, number>>;
  skipped: Partial<Record<WriterName, string>>;
}

const SCRIPT = path.join(__dirname, 'writers.py');
const PY_NAME: Record<Exclude<WriterName, 'tbkit'>, string> = { tensorboardX: 'tensorboardx', 'torch.utils.tensorboard': 'torch' };

/** The script's `ROW <writer> <n> <seconds> <cpu seconds> <bytes>` line. */
export function parseWriterRow(stdout: string): { n: number; seconds: number; cpuSeconds: number; bytes: number } {
  const line = stdout.split('\n').find((l) => l.startsWith('ROW '));
  const f = line?.trim().split(/\s+/) ?? [];
  const [n, seconds, cpuSeconds, bytes] = f.slice(2).map(Number);
  if (f.length !== 6 || ![n, seconds, cpuSeconds, bytes].every(Number.isFinite)) throw new Error(`writers.py printed no ROW line: ${JSON.stringify(stdout.slice(-200))}`);
  return { n, seconds, cpuSeconds, bytes };
}

/** Checks that `dir` holds the whole stream of n scalars (every tag, every step). */
function checkWritten(dir: string, n: number, who: string): void {
  const files = fs.readdirSync(dir).filter((f) => f.includes('tfevents')).map((f) => path.join(dir, f));
  const run = readRunColumns(files);
  let points = 0;
  for (const c of run.scalars.values()) points += c.length;
  if (points !== n || run.scalars.size !== SCALAR_TAGS.length) throw new Error(`${who} wrote ${points} points in ${run.scalars.size} tags, expected ${n} in ${SCALAR_TAGS.length}`);
}

async function timeTbkit(dir: string, n: number): Promise<{ seconds: number; cpuSeconds: number; bytes: number }> {
  const w = new SummaryWriter(dir);
  const c0 = process.cpuUsage();
  const t0 = nowMs();
  logScalars(w, n);
  await w.close();
  const seconds = (nowMs() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, cpuSeconds: (c.user + c.system) / 1e6, bytes: fs.statSync(w.path).size };
}

function timePython(python: string, writer: Exclude<WriterName, 'tbkit'>, dir: string, n: number): { seconds: number; cpuSeconds: number; bytes: number } {
  const r = spawnSync(python, [SCRIPT, PY_NAME[writer], String(n), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${writer}: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}`);
  return parseWriterRow(r.stdout);
}

/** Speed-ups per round, their median: a peer's time ÷ tbkit's time in the same round. */
export function pairedSpeedup(tbkitSeconds: readonly number[], peerSeconds: readonly number[]): number {
  return median(tbkitSeconds.map((t, i) => ratio(peerSeconds[i], t)));
}

export async function benchWriterPeers(peer: PeerPython | string, opts: { scalars: number; rounds: number }): Promise<WriterPeersResult> {
  const n = opts.scalars;
  const skipped: WriterPeersResult['skipped'] = {};
  const sides: WriterName[] = ['tbkit'];
  for (const [w, mod] of [['tensorboardX', 'tensorboardX'], ['torch.utils.tensorboard', 'torch']] as const) {
    const why = missingPeer(peer, mod);
    if (why) skipped[w] = why;
    else sides.push(w);
  }
  const times = new Map(sides.map((s) => [s, { seconds: [] as number[], cpuSeconds: [] as number[], bytes: 0 }]));
  const { dir, cleanup } = tempDir('writer-peers');
  try {
    // JIT warm-up (two passes: the first still runs partly unoptimized); the Python sides are warm once imported.
    for (const w of ['warm-up-1', 'warm-up-2']) await timeTbkit(path.join(dir, w), n);
    for (let round = 0; round < opts.rounds; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const out = path.join(dir, `${round}-${side}`);
        const t = side === 'tbkit' ? await timeTbkit(out, n) : timePython((peer as PeerPython).python, side, out, n);
        checkWritten(out, n, side);
        fs.rmSync(out, { recursive: true, force: true });
        const acc = times.get(side)!;
        acc.seconds.push(t.seconds);
        acc.cpuSeconds.push(t.cpuSeconds);
        acc.bytes = t.bytes;
      }
    }
  } finally {
    cleanup();
  }
  const rows: WriterPeerRow[] = sides.map((writer) => {
    const t = times.get(writer)!;
    return { writer, seconds: t.seconds, cpuSeconds: t.cpuSeconds, scalarsPerSec: n / median(t.seconds), fileBytes: t.bytes };
  });
  const tbkit = times.get('tbkit')!.seconds;
  const tbkitSpeedup: WriterPeersResult['tbkitSpeedup'] = {};
  for (const r of rows) if (r.writer !== 'tbkit') tbkitSpeedup[r.writer] = pairedSpeedup(tbkit, r.seconds);
  return { scalars: n, rounds: opts.rounds, rows, tbkitSpeedup, skipped };
}
