/**
 * Concurrency: many writers in one process, and several processes, writing to ONE log directory at
 * the same time (same second, so the same name prefix) each get their own complete file; close() twice
 * is harmless; writing after close is a clear error.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter } from '../../src/summary/summary-writer';
import { EventFileWriter, readRun, listRuns } from '../../src/events';
import { spawnTs } from '../session/child';
import { tmpDir } from '../session/helpers';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function checkFile(file: string, tag: string, steps: number, value: (s: number) => number): void {
  const run = readRun([file]);
  assert.deepEqual(run.problems, [], file);
  assert.deepEqual([...run.scalars.keys()], [tag], `${file} holds only its writer's tag`);
  const pts = run.scalars.get(tag)!;
  assert.deepEqual(pts.map((p) => p.step), range(steps), `${tag}: every step`);
  for (const p of pts) assert.equal(p.value, value(p.step));
}

test('50 writers in one process, one directory, same second: 50 distinct, complete files', async () => {
  const dir = tmpDir('tbkit-rel-conc-');
  const N = 50;
  const STEPS = 200;
  const writers = range(N).map(() => new SummaryWriter(dir, { fileWallTime: 1_700_000_000, maxQueue: 4 }));
  for (let s = 0; s < STEPS; s++) {
    writers.forEach((w, k) => w.scalar(`w${k}`, s + k / 100, s));
    if (s % 10 === 0) await new Promise((r) => setImmediate(r)); // let the batches of all writers interleave
  }
  await Promise.all(writers.map((w) => w.close()));
  const files = fs.readdirSync(dir).filter((f) => f.includes('tfevents'));
  assert.equal(files.length, N);
  assert.equal(new Set(writers.map((w) => w.path)).size, N);
  writers.forEach((w, k) => checkFile(w.path, `w${k}`, STEPS, (s) => Math.fround(s + k / 100)));
  // Read as one run (TensorBoard's view of the directory): every point of every writer.
  const run = readRun(listRuns(dir)[0].files);
  assert.equal(run.scalars.size, N);
  assert.equal(run.records, N * (STEPS + 1));
});

test('4 processes × 5 writers into one logdir at once: 20 distinct, complete files', { timeout: 120_000 }, async () => {
  const dir = tmpDir('tbkit-rel-procs-');
  const P = 4, W = 5, EVENTS = 300;
  const children = range(P).map((id) => spawnTs('test/reliability/fixtures/concurrent-writer.ts', { TB_LOGDIR: dir, TB_ID: String(id), TB_WRITERS: String(W), TB_EVENTS: String(EVENTS) }));
  const results = await Promise.all(children.map((c) => c.exited));
  const paths: string[][] = results.map((r, id) => {
    assert.equal(r.code, 0, `child ${id}: ${r.stderr}`);
    const line = r.stdout.split('\n').find((l) => l.startsWith('done '));
    return JSON.parse(line!.slice(5));
  });
  const files = fs.readdirSync(dir).filter((f) => f.includes('tfevents'));
  assert.equal(files.length, P * W);
  assert.equal(new Set(paths.flat()).size, P * W);
  paths.forEach((ps, id) => ps.forEach((p, k) => checkFile(p, `p${id}/w${k}`, EVENTS, (s) => s * 1000 + k)));
});

test('close() twice is harmless; writing after close is a clear error naming the writer', async () => {
  const dir = tmpDir('tbkit-rel-close-');
  const w = new SummaryWriter(dir);
  w.scalar('a', 1, 1);
  await w.close();
  await w.close();
  await Promise.all([w.close(), w.close()]);
  await w.flush();
  for (const [name, fn] of [
    ['scalar', () => w.scalar('a', 2, 2)],
    ['scalars', () => w.scalars({ a: 2 }, 2)],
    ['histogram', () => w.histogram('h', [1], 2)],
    ['text', () => w.text('t', 'x', 2)],
    ['hparams', () => w.hparams({ lr: 1 })],
    ['addSessionStart', () => w.addSessionStart(2)],
  ] as const) {
    assert.throws(fn, new RegExp(`SummaryWriter\\.${name}: the writer for ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is closed`), name);
  }
  const ew = new EventFileWriter(dir);
  await ew.close();
  await ew.close();
  assert.throws(() => ew.writeEvent({ step: 1 }), /EventFileWriter for .* is closed; create a new EventFileWriter/);
  assert.throws(() => ew.writeEventBytes(new Uint8Array(2)), /is closed/);
  // Closing concurrently with pending async values: one close, every value written.
  const w2 = new SummaryWriter(dir);
  w2.scalar('p', Promise.resolve(3), 1);
  await Promise.all([w2.close(), w2.close(), w2.close()]);
  assert.deepEqual(readRun([w2.path]).scalars.get('p')!.map((p) => p.value), [3]);
  assert.deepEqual(readRun([w.path]).scalars.get('a')!.map((p) => p.step), [1]);
  assert.ok(fs.existsSync(path.join(dir)));
});
