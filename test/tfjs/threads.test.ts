import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { sharedThreads, threadGrower } from '../../src/experiments/bn/parallel';

const ROOT = path.resolve(__dirname, '..', '..');

function grow(maxThreads: number) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/tfjs/fixtures/grow-threads.ts', String(maxThreads)], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, TBKIT_WASM_THREADS: '' },
  });
  assert.equal(r.status, 0, r.stderr);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()!), seconds: (Date.now() - t0) / 1000 };
}

test('setWasmThreads grows a running wasm backend\'s pool (same costs), and the process still exits by itself', { skip: os.availableParallelism() < 2 ? 'needs 2 cores' : false, timeout: 130_000 }, () => {
  const r = grow(2);
  assert.equal(r.before, 1);
  assert.equal(r.after, 2);
  // XNNPACK, and the SIMD kernels' worker thread, split work without changing any sum's order.
  assert.deepEqual(r.two, r.one);
  assert.equal(r.workerJobs.atOne, 0, 'no worker thread at 1 thread');
  assert.ok(r.workerJobs.atTwo > 0, 'the conv kernels used their worker thread at 2 threads');
  assert.ok(r.one.every((c: number) => Number.isFinite(c) && c > 0), JSON.stringify(r.one));
  assert.match(r.badArg, /setWasmThreads: threads must be a positive integer, got 0/);
  assert.ok(r.seconds < 100, `exited after ${r.seconds} s`);
});

test('setWasmThreads changes nothing on the single-threaded build (maxThreads 1)', { timeout: 130_000 }, () => {
  const r = grow(1);
  assert.deepEqual([r.before, r.after], [1, 1]);
  assert.deepEqual(r.two, r.one);
  assert.deepEqual(r.workerJobs, { atOne: 0, atTwo: 0 });
});

test('sharedThreads: the finished runs\' cores go to the runs still training', () => {
  const plan = { concurrency: 2, threadsPerRun: 1, cores: 2 };
  assert.equal(sharedThreads(plan, 2), 1);
  assert.equal(sharedThreads(plan, 1), 2);
  assert.equal(sharedThreads({ concurrency: 2, threadsPerRun: 4, cores: 8 }, 1), 8);
  assert.equal(sharedThreads({ concurrency: 3, threadsPerRun: 2, cores: 8 }, 2), 4);
  assert.equal(sharedThreads({ concurrency: 2, threadsPerRun: 1 }, 1), 1); // no cores known: unchanged
});

test('threadGrower: a grow request waits for the backend, is capped at maxThreads, and is logged once', () => {
  let up = false;
  const calls: number[] = [];
  const logs: string[] = [];
  const g = threadGrower((n) => { calls.push(n); return up ? n : 1; }, 2, (m) => logs.push(m));
  g.onMessage({ config: {}, threads: 1 }); // the start message's shape, or 1 thread: ignored
  g.onMessage(null);
  assert.deepEqual(calls, []);
  g.onMessage({ threads: 4 }); // the backend is still loading: setThreads answers 1
  assert.deepEqual([calls, logs], [[2], []]);
  up = true;
  g.onBackend();
  assert.deepEqual([calls, logs], [[2, 2], ['threads: 2 (a run finished: its cores are free)']]);
  g.onBackend(); // applied already: nothing more
  assert.deepEqual(calls, [2, 2]);
});
