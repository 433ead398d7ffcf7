import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, DEFAULTS, parseLearningRates, resolveConfig, runSpecs } from '../../src/experiments/bn/config';
import { chooseRunDir } from '../../src/experiments/bn/run-dir';

test('defaults are the original experiment', () => {
  const c = resolveConfig({});
  assert.equal(c.epochs, 5);
  assert.equal(c.batchSize, 100);
  assert.deepEqual(c.learningRates, [0.01]);
  assert.equal(c.normalize, false);
  assert.equal(c.seed, 100);
  assert.equal(c.validationFraction, 0.1);
  assert.deepEqual(runSpecs(c), [
    { name: 'nobn-lr0.01', useBn: false, learningRate: 0.01 },
    { name: 'bn-lr0.01', useBn: true, learningRate: 0.01 },
  ]);
  assert.equal(DEFAULTS.logdir, 'logs');
});

test('--lr list × --bn gives every combination, duplicates removed', () => {
  assert.deepEqual(parseLearningRates('0.01, 0.001,0.01'), [0.01, 0.001]);
  const c = resolveConfig({ lr: '0.01,0.001', bn: 'both' });
  assert.deepEqual(runSpecs(c).map((s) => s.name), ['nobn-lr0.01', 'bn-lr0.01', 'nobn-lr0.001', 'bn-lr0.001']);
  assert.deepEqual(runSpecs(resolveConfig({ bn: 'off' })).map((s) => s.name), ['nobn-lr0.01']);
});

test('--data-dir is passed on; MNIST_DIR is left to the data layer (which names its source)', () => {
  assert.equal(resolveConfig({ dataDir: '/d' }).dataDir, '/d');
  assert.equal(resolveConfig({}).dataDir, undefined);
});

test('bad values throw a ConfigError naming the flag', () => {
  const bad: Array<[Record<string, string | boolean>, RegExp]> = [
    [{ epochs: '-2' }, /^--epochs: expected a positive integer, got "-2"$/],
    [{ batchSize: 'ten' }, /^--batch-size/],
    [{ lr: '-0.1' }, /^--lr: learning rate must be a number > 0, got "-0.1"$/],
    [{ lr: '' }, /^--lr: expected one or more/],
    [{ backend: 'webgl' }, /^--backend: unknown value "webgl"/],
    [{ dataset: 'cifar' }, /^--dataset: unknown value "cifar"/],
    [{ csv: 'x.csv', dataset: 'mnist' }, /--csv goes with --dataset csv/],
    [{ seed: '-1' }, /^--seed: expected a non-negative integer/],
  ];
  for (const [raw, re] of bad) assert.throws(() => resolveConfig(raw), (e: Error) => e instanceof ConfigError && re.test(e.message));
  assert.equal(resolveConfig({ csv: 'x.csv' }).dataset, 'csv');
  assert.equal(resolveConfig({ seed: '0' }).seed, 0);
});

test('run directories: suffix, overwrite, resume', () => {
  const logdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-rundir-'));
  try {
    const first = chooseRunDir(logdir, 'bn-lr0.01', { overwrite: false, resume: false });
    assert.deepEqual(first, { dir: path.join(logdir, 'bn-lr0.01'), name: 'bn-lr0.01', resumed: false, note: undefined });
    fs.mkdirSync(first.dir, { recursive: true });
    // An empty directory is not a run: reuse it.
    assert.equal(chooseRunDir(logdir, 'bn-lr0.01', { overwrite: false, resume: false }).name, 'bn-lr0.01');
    fs.writeFileSync(path.join(first.dir, 'events.out.tfevents.1'), 'x');
    const second = chooseRunDir(logdir, 'bn-lr0.01', { overwrite: false, resume: false });
    assert.equal(second.name, 'bn-lr0.01-2');
    assert.match(second.note!, /already holds a run/);
    const resumed = chooseRunDir(logdir, 'bn-lr0.01', { overwrite: false, resume: true });
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.dir, first.dir);
    const over = chooseRunDir(logdir, 'bn-lr0.01', { overwrite: true, resume: false });
    assert.equal(over.dir, first.dir);
    assert.equal(fs.existsSync(path.join(first.dir, 'events.out.tfevents.1')), false);
  } finally {
    fs.rmSync(logdir, { recursive: true, force: true });
  }
});

test('--seeds N and --seed lists: one run per configuration and seed, the seed in the name; one --seed stays as before', () => {
  const c = resolveConfig({ seeds: '2', bn: 'both' });
  assert.deepEqual(c.seeds, [1, 2]);
  assert.equal(c.seed, 100, 'the split keeps its seed: every run is scored on the same images');
  assert.deepEqual(runSpecs(c), [
    { name: 'nobn-lr0.01-s1', useBn: false, learningRate: 0.01, seed: 1 },
    { name: 'bn-lr0.01-s1', useBn: true, learningRate: 0.01, seed: 1 },
    { name: 'nobn-lr0.01-s2', useBn: false, learningRate: 0.01, seed: 2 },
    { name: 'bn-lr0.01-s2', useBn: true, learningRate: 0.01, seed: 2 },
  ]);
  assert.deepEqual(resolveConfig({ seed: '7, 3,7' }).seeds, [7, 3]);
  const one = resolveConfig({ seed: '7' });
  assert.deepEqual([one.seed, one.seeds], [7, undefined]);
  assert.deepEqual(runSpecs(one).map((s) => s.name), ['nobn-lr0.01', 'bn-lr0.01']);
  assert.throws(() => resolveConfig({ seeds: '3', seed: '1' }), /--seeds N runs seeds 1\.\.N; --seed takes one seed or a list/);
  assert.throws(() => resolveConfig({ seeds: '0' }), /^ConfigError: --seeds: expected a positive integer, got "0"$/);
  assert.throws(() => resolveConfig({ seed: '1,x' }), /--seed: expected a non-negative integer, got "x"/);
});

test('--sweep lr: five learning rates × BN on/off, combinable with --seeds; not with --lr', () => {
  const c = resolveConfig({ sweep: 'lr', seeds: '2', epochs: '1' });
  assert.deepEqual(c.learningRates, [0.1, 0.03, 0.01, 0.003, 0.001]);
  assert.equal(runSpecs(c).length, 20);
  assert.equal(runSpecs(c)[0].name, 'nobn-lr0.1-s1');
  assert.equal(runSpecs(resolveConfig({ sweep: 'lr', bn: 'on' })).length, 5);
  assert.throws(() => resolveConfig({ sweep: 'lr', lr: '0.5' }), /--sweep lr sets the learning rates itself/);
  assert.throws(() => resolveConfig({ sweep: 'momentum' }), /--sweep: unknown value "momentum"; use one of: lr/);
});
