/**
 * The coarse clock (src/util/coarse-clock.ts): close to Date.now() in both modes, never backwards,
 * the worker stops ticking when reads stop and starts again when they resume, a process with the
 * clock active exits promptly in every state, and without SharedArrayBuffer it is Date.now().
 * The timing-dependent cases run in child processes (the clock is per process).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coarseClockState, coarseNow } from '../../src/util/coarse-clock';

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(__dirname, 'fixtures', 'clock-child.ts');
/** Generous bounds for a loaded 2-core VM; the clock's own bound is ~1 ms (2 ms MAX_LAG). */
const TOLERANCE_MS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads hot for `ms` (≥ 32 reads per millisecond switch the clock to the shared value). */
function readHot(ms: number): number[] {
  const errs: number[] = [];
  let prev = -Infinity;
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    for (let i = 0; i < 1000; i++) {
      const v = coarseNow();
      assert.ok(v >= prev, `went back: ${v} < ${prev}`);
      prev = v;
    }
    const before = Date.now();
    const v = coarseNow() * 1000;
    const after = Date.now();
    errs.push(Math.max(before - v, v - after));
  }
  return errs;
}

/**
 * Hot reads for at least `ms`, and on until the worker has been scheduled and ticks (at most 5 s):
 * on a loaded machine the worker thread may get no core within the first window.
 */
function readHotUntilRunning(ms: number): number[] {
  const errs = readHot(ms);
  const deadline = Date.now() + 5000;
  while (coarseClockState().worker !== 'running' && Date.now() < deadline) errs.push(...readHot(20));
  return errs;
}

test('cold reads are Date.now() / 1000', () => {
  // A fresh process: nothing read yet, so the clock is cold.
  assert.equal(coarseClockState().mode, 'cold');
  for (let i = 0; i < 5; i++) {
    const before = Date.now();
    const v = coarseNow() * 1000;
    assert.ok(v >= before - 1 && v <= Date.now() + 1, `${v} vs [${before}, ${Date.now()}]`);
  }
});

test('hot reads use the worker, stay within a few ms of Date.now() and never go back; the worker idles and wakes', async () => {
  readHot(50); // first hot phase: starts the worker
  for (let i = 0; i < 100 && coarseClockState().worker !== 'idle'; i++) await sleep(5); // worker up (idle)
  const errs = readHotUntilRunning(200); // second hot phase: wakes it
  const st = coarseClockState();
  assert.deepEqual(st, { mode: 'hot', worker: 'running', workersStarted: 1 });
  assert.ok(Math.max(...errs) <= TOLERANCE_MS, `max error ${Math.max(...errs)} ms`);

  // No reads for a while: the worker stops ticking (state word IDLE) ...
  await sleep(100);
  assert.equal(coarseClockState().worker, 'idle');
  // ... the next read sees it and is Date.now() again ...
  const before = Date.now();
  const v = coarseNow() * 1000;
  assert.ok(v >= before - 1 && v <= Date.now() + 1);
  assert.equal(coarseClockState().mode, 'cold');
  // ... and hot reads wake it.
  const errs2 = readHotUntilRunning(100);
  assert.deepEqual(coarseClockState(), { mode: 'hot', worker: 'running', workersStarted: 1 });
  assert.ok(Math.max(...errs2) <= TOLERANCE_MS, `max error after waking ${Math.max(...errs2)} ms`);
});

interface ChildResult { code: number | null; exitMs: number; report: { maxErrMs?: number; back?: boolean; state: Record<string, unknown> } }

/** Runs the child; exitMs: from its `end` line to the process being gone. */
function child(mode: string, ...args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const cp = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let endAt = 0;
    cp.stdout.on('data', (d) => {
      out += d;
      if (!endAt && /\nend \d+/.test(`\n${out}`)) endAt = Date.now();
    });
    cp.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { cp.kill('SIGKILL'); reject(new Error(`child ${mode} did not exit: ${out} ${err}`)); }, 30_000);
    cp.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line || !endAt) return reject(new Error(`child ${mode}: no report (${code}): ${out} ${err}`));
      resolve({ code, exitMs: Date.now() - endAt, report: JSON.parse(line) });
    });
  });
}

for (const mode of ['running', 'idle', 'exit']) {
  test(`a process exits promptly with the clock active (worker ${mode === 'idle' ? 'waiting without a timeout' : mode === 'exit' ? 'running, process.exit()' : 'running'})`, async () => {
    const r = await child(mode);
    assert.equal(r.code, 0);
    assert.equal(r.report.state.workersStarted, 1);
    assert.equal(r.report.state.worker, mode === 'idle' ? 'idle' : 'running');
    assert.equal(r.report.back, false);
    assert.ok(r.report.maxErrMs! <= TOLERANCE_MS, `max error ${r.report.maxErrMs} ms`);
    assert.ok(r.exitMs < 2000, `exited ${r.exitMs} ms after its last line`);
  });
}

test('many writers share one clock (one worker per process)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-clock-'));
  try {
    const r = await child('writers', dir);
    assert.equal(r.code, 0);
    assert.equal(r.report.state.workersStarted, 1);
    assert.ok(r.exitMs < 2000, `exited ${r.exitMs} ms after its last line`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without SharedArrayBuffer the clock is Date.now() for good (never throws)', async () => {
  const r = await child('no-sab');
  assert.equal(r.code, 0);
  assert.deepEqual(r.report.state, { mode: 'disabled', worker: 'none', workersStarted: 0 });
  assert.equal(r.report.back, false);
  assert.ok(r.report.maxErrMs! <= 1, `max error ${r.report.maxErrMs} ms`);
});
