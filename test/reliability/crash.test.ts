/**
 * Crash safety: a training process killed with SIGKILL at random moments leaves event files whose
 * every record is readable, with NO problem at all (not even a truncated tail), and holding
 * everything it reported flushed before the kill.
 *
 * Why not even a truncated tail: EventFileWriter frames a whole batch (length, length CRC, data,
 * data CRC of every record) in memory and hands it to the kernel in ONE write(2). SIGKILL is acted
 * upon when the thread returns to user space, i.e. before or after that system call, and a dead
 * process's completed writes stay in the page cache and reach the file. So the file always ends on
 * a batch boundary. (The one exception: Linux checks for a fatal signal between the pages of a
 * multi-page write and may then stop it short. That needs a batch spanning a page boundary AND the
 * kill landing inside the copy, a window of microseconds; the batches here are a few hundred bytes.
 * If it ever happens, the reader reports a 'truncated' tail and keeps every record before it.)
 *
 * Trials run 2 at a time; TBKIT_CRASH_TRIALS changes their number (default 24), TBKIT_CRASH_SEED the
 * kill times (printed on failure).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnTs } from '../session/child';
import { iterateRecordFile, type RecordProblem } from '../../src/record';
import { readRun } from '../../src/events';
import { createRng } from '../../src/util/random';

const TRIALS = Number(process.env.TBKIT_CRASH_TRIALS ?? 24);
const SEED = Number(process.env.TBKIT_CRASH_SEED ?? 77) >>> 0;

const range = (a: number, b: number): number[] => Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);

async function trial(root: string, n: number, killAfterMs: number): Promise<{ steps: number; flushed: number; bytes: number }> {
  const logdir = path.join(root, `t${n}`);
  const child = spawnTs('test/reliability/fixtures/crash-train.ts', { TB_LOGDIR: logdir, TB_FLUSH_EVERY: String(3 + (n % 15)) });
  try {
    await child.waitForLine('start');
    await new Promise((r) => setTimeout(r, killAfterMs));
    child.proc.kill('SIGKILL');
  } finally {
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  }
  const r = await child.exited;
  assert.equal(r.signal, 'SIGKILL', `trial ${n} was killed mid-run (stderr: ${r.stderr})`);

  // Everything the child said it flushed.
  const flushedLines = r.stdout.split('\n').filter((l) => l.startsWith('flushed ')).map((l) => Number(l.slice(8)));
  const flushed = flushedLines.length ? Math.max(...flushedLines) : 0;

  const files = fs.readdirSync(logdir).filter((f) => f.includes('tfevents'));
  assert.equal(files.length, 1, 'one event file');
  const file = path.join(logdir, files[0]);
  const size = fs.statSync(file).size;

  // Every record readable, and no problem at all: the file ends on a batch boundary.
  const problems: RecordProblem[] = [];
  let records = 0;
  let end = 0;
  for (const rec of iterateRecordFile(file, (p) => problems.push(p))) {
    records++;
    end = rec.offset + 16 + rec.data.length;
  }
  assert.deepEqual(problems, [], `trial ${n}: no problem, not even a truncated tail`);
  assert.equal(end, size, 'the last record ends exactly at the end of the file');

  const run = readRun([file]);
  assert.deepEqual(run.problems, []);
  assert.deepEqual(run.duplicates, []);
  assert.deepEqual(run.purged, []);
  // The file is a prefix of the event stream: each tag's steps are 1..k with no hole, and every step
  // reported flushed is there.
  const loss = run.scalars.get('loss')?.map((p) => p.step) ?? [];
  const last = loss.length;
  assert.deepEqual(loss, range(1, last), 'loss steps 1..k, no hole');
  assert.ok(last >= flushed, `trial ${n}: flushed up to step ${flushed}, file has loss up to ${last}`);
  for (const tag of ['x', 'm/a', 'm/b']) {
    const steps = run.scalars.get(tag)?.map((p) => p.step) ?? [];
    assert.deepEqual(steps, range(1, steps.length), `${tag} steps 1..k`);
    assert.ok(steps.length >= flushed, `${tag}: flushed up to step ${flushed}, file has ${steps.length}`);
  }
  for (const p of run.scalars.get('loss') ?? []) assert.equal(p.value, Math.fround(1 / p.step));
  for (const p of run.scalars.get('x') ?? []) assert.equal(p.value, p.step * 2);
  assert.ok(records >= 1);
  return { steps: last, flushed, bytes: size };
}

test(`SIGKILL at random moments (${TRIALS} trials, 2 at a time): every record readable, no truncated tail, everything reported flushed is there`, { timeout: 300_000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-crash-'));
  const rnd = createRng(SEED);
  const delays = Array.from({ length: TRIALS }, () => Math.floor(30 + rnd() * 450));
  const results: Array<{ steps: number; flushed: number; bytes: number }> = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < TRIALS) {
      const n = next++;
      try {
        results[n] = await trial(root, n, delays[n]);
      } catch (e) {
        (e as Error).message = `TBKIT_CRASH_SEED=${SEED} trial ${n} (kill after ${delays[n]} ms): ${(e as Error).message}`;
        throw e;
      }
    }
  };
  await Promise.all([worker(), worker()]);
  fs.rmSync(root, { recursive: true, force: true });
  // The kills did land mid-run: after some flushes, with steps written beyond the last explicit flush.
  assert.ok(results.some((r) => r.flushed > 0), 'some trials were killed after a flush');
  // (How many were killed after an automatic maxQueue batch beyond the last flush() depends on the
  // scheduler — the child tends to be preempted right after printing — so it is reported, not asserted.)
  const beyond = results.filter((r) => r.steps > r.flushed).length;
  console.log(`crash trials: ${results.map((r) => `${r.steps}/${r.flushed}`).join(' ')} (steps in file / last flushed); ${beyond} with automatic batches beyond the last flush`);
});
