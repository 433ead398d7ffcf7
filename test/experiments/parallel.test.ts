/**
 * Parallel runs (src/experiments/bn/parallel.ts): when they are used, and end to end through the
 * real CLI on real MNIST: prefixed per-epoch lines, the same event files as a sequential run,
 * SIGINT (exit 130, a checkpoint per run) and --resume.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULTS, resolveConfig, runSpecs } from '../../src/experiments/bn/config';
import { MIN_STEPS_PER_RUN_FOR_AUTO, planParallel } from '../../src/experiments/bn/parallel';
import { listRuns, readRun } from '../../src/events';
import { spawnTs } from '../session/child';
import { MNIST_DIR, SKIP_NO_MNIST, tempDir } from '../data/helpers';

const both = resolveConfig({ backend: 'wasm' });
const specs2 = runSpecs(both);
const LONG = MIN_STEPS_PER_RUN_FOR_AUTO;

test('planParallel: auto is on for 2+ long WASM runs on 2+ cores; the flag forces either way', () => {
  assert.deepEqual(planParallel(both, specs2, 2700, undefined, 2), { concurrency: 2, threadsPerRun: 1, cores: 2 });
  assert.deepEqual(planParallel(both, specs2, 2700, undefined, 8), { concurrency: 2, threadsPerRun: 4, cores: 8 });
  const four = resolveConfig({ backend: 'wasm', lr: '0.01,0.001' });
  assert.deepEqual(planParallel(four, runSpecs(four), 2700, undefined, 2), { concurrency: 2, threadsPerRun: 1, cores: 2 });
  assert.equal(planParallel(both, specs2, 2700, undefined, 1).concurrency, 1); // one core
  assert.equal(planParallel(both, specs2, LONG - 1, undefined, 2).concurrency, 1); // short runs
  assert.equal(planParallel(both, specs2, 2700, false, 2).concurrency, 1); // --no-parallel
  assert.equal(planParallel(both, specs2, 10, true, 2).concurrency, 2); // --parallel forces it
  const one = resolveConfig({ backend: 'wasm', bn: 'on' });
  assert.equal(planParallel(one, runSpecs(one), 2700, true, 2).concurrency, 1);
  for (const backend of ['cpu', 'tensorflow'] as const) {
    assert.equal(planParallel({ ...DEFAULTS, backend }, specs2, 2700, true, 2).concurrency, 1, backend);
  }
});

function cli(args: string[]) {
  return spawnTs('src/cli/main.ts', { NODE_TEST_CONTEXT: '', NO_COLOR: '1', MNIST_DIR: '' }, ['experiment', '--data-dir', MNIST_DIR, ...args]);
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('--parallel: both runs at once, lines prefixed with the run name, same logs as one after another', { skip: SKIP_NO_MNIST, timeout: 240_000 }, async () => {
  const root = tempDir('tbkit-par-');
  const common = ['--limit', '600', '--epochs', '2', '--summary-steps', '1', '--no-progress'];
  const [par, seq] = await Promise.all([
    cli([...common, '--parallel', '--logdir', path.join(root, 'par')]).exited,
    cli([...common, '--no-parallel', '--logdir', path.join(root, 'seq')]).exited,
  ]);
  assert.equal(par.code, 0, par.stderr);
  assert.equal(seq.code, 0, seq.stderr);
  assert.match(par.stderr, /parallel: 2 runs, 2 at a time/);
  for (const run of ['nobn-lr0.01', 'bn-lr0.01']) {
    const lines = par.stderr.split('\n').filter((l) => l.startsWith(`[${run}`) && /\] epoch: +\d, cost: \d+\.\d{4}, accuracy: \d\.\d{4}$/.test(l));
    assert.equal(lines.length, 2, `${run}:\n${par.stderr}`);
  }
  assert.match(par.stdout, /Summary of the runs/);
  // Same data, seeds and code in another process: the same numbers as the sequential run.
  const p = Object.fromEntries(listRuns(path.join(root, 'par')).map((r) => [r.name, readRun(r.files)]));
  const s = Object.fromEntries(listRuns(path.join(root, 'seq')).map((r) => [r.name, readRun(r.files)]));
  assert.deepEqual(Object.keys(p).sort(), ['bn-lr0.01', 'nobn-lr0.01']);
  for (const name of Object.keys(p)) {
    assert.deepEqual(p[name].problems, []);
    for (const tag of ['cost', 'validation/accuracy', 'validation/cost']) {
      const a = p[name].scalars.get(tag)!.map((x) => [x.step, x.value]);
      const b = s[name].scalars.get(tag)!.map((x) => [x.step, x.value]);
      assert.deepEqual(a, b, `${name} ${tag}`);
    }
    assert.equal(p[name].hparams?.status, 'STATUS_SUCCESS');
  }
});

test('--parallel: SIGINT stops every run with a checkpoint (exit 130), --resume finishes them', { skip: SKIP_NO_MNIST, timeout: 240_000 }, async () => {
  const logdir = tempDir('tbkit-par-int-');
  // 60 steps per run (3 epochs of 20): the no-BN run, whose dead network makes its steps ~3x
  // cheaper (sparse conv gradients), must still be training when the BN run reaches step 5.
  const args = ['--limit', '2200', '--epochs', '3', '--checkpoint-steps', '5', '--summary-steps', '1', '--no-progress', '--parallel', '--logdir', logdir];
  const latest = (run: string): number => {
    try {
      return JSON.parse(fs.readFileSync(path.join(logdir, run, 'checkpoints', 'checkpoint.json'), 'utf8')).latestStep ?? 0;
    } catch {
      return 0;
    }
  };
  const first = cli(args);
  const deadline = Date.now() + 120_000;
  while (latest('nobn-lr0.01') < 5 || latest('bn-lr0.01') < 5) {
    assert.ok(Date.now() < deadline, 'timed out waiting for the step-5 checkpoints');
    await new Promise((r) => setTimeout(r, 10));
  }
  first.proc.kill('SIGINT'); // the parent only, as `kill -INT`; a terminal's Ctrl-C also reaches only it
  const r1 = await first.exited;
  assert.equal(r1.code, 130, `${r1.stdout}\n${r1.stderr}`);
  assert.match(r1.stderr, /interrupted: stopped run nobn-lr0\.01 \(step \d+\), run bn-lr0\.01 \(step \d+\); continue with --resume/);
  for (const run of ['nobn-lr0.01', 'bn-lr0.01']) assert.ok(latest(run) >= 5 && latest(run) < 60, `${run} stopped at ${latest(run)}`);

  const r2 = await cli([...args, '--resume']).exited;
  assert.equal(r2.code, 0, `${r2.stdout}\n${r2.stderr}`);
  // The no-BN run (cheaper steps) ends first; the BN run then gets its core.
  if (os.availableParallelism() >= 2) assert.match(r2.stderr, /^\[bn-lr0\.01 *\] threads: 2 \(a run finished: its cores are free\)$/m);
  for (const run of listRuns(logdir)) {
    const d = readRun(run.files);
    assert.deepEqual(d.problems, []);
    assert.deepEqual((d.scalars.get('cost') ?? []).map((x) => x.step), range(1, 60), run.name);
    assert.deepEqual((d.scalars.get('validation/accuracy') ?? []).map((x) => x.step), [20, 40, 60], run.name);
    assert.equal(latest(run.name), 60);
  }
});
