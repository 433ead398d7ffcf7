/**
 * End to end: the real `tbkit experiment` CLI on a small real-MNIST subset, both runs, then the
 * event files read back with our reader. Also the CLI's answers to bad input.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { listRuns, readRun } from '../../src/events';
import { MNIST_DIR, SKIP_NO_MNIST, tempDir } from '../data/helpers';

const REPO = path.resolve(__dirname, '../..');

function tbkit(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, MNIST_DIR: '', NO_COLOR: '1', ...env },
    timeout: 240_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('experiment: both runs on 1100 real MNIST images, 2 epochs, read back', { skip: SKIP_NO_MNIST, timeout: 240_000 }, () => {
  const logdir = tempDir('tbkit-e2e-');
  // 1100 images → 990 training (10 steps/epoch) and 110 validation.
  const r = tbkit(['experiment', '--data-dir', MNIST_DIR, '--limit', '1100', '--epochs', '2', '--summary-steps', '5', '--no-progress', '--logdir', logdir]);
  assert.equal(r.code, 0, r.err);
  // Progress on stderr, results (the summary of the runs) on stdout.
  assert.match(r.err, /backend: wasm/);
  assert.match(r.err, /990 training, 110 validation images/);
  const epochLines = r.err.match(/^epoch: +\d, cost: \d+\.\d{4}, accuracy: \d\.\d{4}$/gm) ?? [];
  assert.equal(epochLines.length, 4, r.err); // 2 runs × 2 epochs
  assert.doesNotMatch(r.out, /epoch: |backend: /);
  assert.match(r.out, /^\nSummary of the runs in .* \(tbkit compare /);

  const runs = listRuns(logdir);
  assert.deepEqual(runs.map((x) => x.name), ['bn-lr0.01', 'nobn-lr0.01']);
  for (const run of runs) {
    const data = readRun(run.files);
    assert.deepEqual(data.problems, []);
    assert.deepEqual(data.duplicates, []);
    const tags = Object.fromEntries([...data.tags].map(([t, info]) => [t, { plugin: info.plugin, steps: info.steps }]));
    assert.deepEqual(tags, {
      cost: { plugin: 'scalars', steps: [1, 5, 10, 15, 20] },
      'global_step/sec': { plugin: 'scalars', steps: [10, 15, 20] },
      'validation/cost': { plugin: 'scalars', steps: [10, 20] },
      'validation/accuracy': { plugin: 'scalars', steps: [10, 20] },
      keras: { plugin: 'graph_keras_model', steps: [0] },
      '_hparams_/experiment': { plugin: 'hparams', steps: [0] },
      '_hparams_/session_start_info': { plugin: 'hparams', steps: [0] },
      '_hparams_/session_end_info': { plugin: 'hparams', steps: [0] },
    });
    const useBn = run.name.startsWith('bn');
    assert.deepEqual(data.hparams?.hparams, {
      backend: 'wasm', batch_size: 100, dataset: 'mnist', epochs: 2, learning_rate: 0.01, normalize: false, use_bn: useBn,
    });
    assert.equal(data.hparams?.status, 'STATUS_SUCCESS');
    for (const p of data.scalars.get('validation/accuracy')!) assert.ok(p.value >= 0 && p.value <= 1);
    for (const p of data.scalars.get('cost')!) assert.ok(Number.isFinite(p.value) && p.value > 0);
    // Each run has a checkpoint at its last step.
    const index = JSON.parse(fs.readFileSync(path.join(run.dir, 'checkpoints', 'checkpoint.json'), 'utf8'));
    assert.equal(JSON.stringify(index).includes('ckpt-20'), true, JSON.stringify(index));
  }
  const png = PNG.sync.read(fs.readFileSync(path.join(logdir, 'bn-experiment.png')));
  assert.ok(png.width > 600 && png.height > 200);
});

test('experiment --seeds 2: runs per seed in child processes, grouped summary, verdict, resume; reduce read back', { skip: SKIP_NO_MNIST, timeout: 240_000 }, () => {
  const logdir = tempDir('tbkit-e2e-seeds-');
  // 330 images → 297 training (3 steps/epoch) and 33 validation; --parallel: child processes as for long runs.
  const args = ['experiment', '--data-dir', MNIST_DIR, '--limit', '330', '--epochs', '2', '--seeds', '2', '--summary-steps', '1', '--no-progress', '--logdir', logdir];
  const r = tbkit([...args, '--parallel']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /parallel: 4 runs, 2 at a time/); // progress goes to stderr
  const names = ['bn-lr0.01-s1', 'bn-lr0.01-s2', 'nobn-lr0.01-s1', 'nobn-lr0.01-s2'];
  assert.deepEqual(listRuns(logdir).map((x) => x.name), names);
  const data = Object.fromEntries(listRuns(logdir).map((run) => [run.name, readRun(run.files)]));
  for (const name of names) {
    assert.deepEqual(data[name].problems, []);
    assert.equal(data[name].hparams?.hparams.seed, Number(name.slice(-1)));
    assert.equal(data[name].hparams?.hparams.use_bn, name.startsWith('bn'));
  }
  // The seed changes the weights and the batch order: the two BN runs train differently.
  assert.notDeepEqual(data['bn-lr0.01-s1'].scalars.get('cost'), data['bn-lr0.01-s2'].scalars.get('cost'));
  assert.match(r.out, /Summary of the 4 runs of this experiment in 2 groups/);
  assert.match(r.out, /^use_bn +tag +n +last \(mean ± std\) +95 % CI/m);
  assert.match(r.out, /^true +validation\/accuracy +2 +/m);
  assert.match(r.out, /^BN vs no BN at lr 0\.01: validation accuracy [\d.]+ (± [\d.]+ )?% vs [\d.]+ (± [\d.]+ )?% \(mean ± std, 2 seeds each; 95 % interval of the difference [-+][\d.]+ to [-+][\d.]+ points, Welch\): (BN higher|BN lower|no difference shown \(the interval contains 0\))$/m);
  const png = PNG.sync.read(fs.readFileSync(path.join(logdir, 'bn-experiment.png')));
  assert.ok(png.width > 600 && png.height > 200);

  // --resume continues the same four runs (finished: nothing to train), never a -2 sibling.
  const again = tbkit([...args, '--resume']);
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(listRuns(logdir).map((x) => x.name), names);
  assert.match(again.out, /Summary of the 4 runs/);

  // reduce: per group the mean of the two seeds at every step, as float32.
  const red = tbkit(['reduce', logdir]);
  assert.equal(red.code, 0, red.err);
  const agg = listRuns(path.join(logdir, 'agg'));
  assert.deepEqual(agg.map((x) => x.name), ['use_bn=false', 'use_bn=true']);
  const bn = readRun(agg[1].files);
  const [a, b] = ['bn-lr0.01-s1', 'bn-lr0.01-s2'].map((n) => data[n].scalars.get('validation/accuracy')!);
  assert.deepEqual(bn.scalars.get('validation/accuracy/mean')!.map((p) => [p.step, p.value]), a.map((p, i) => [p.step, Math.fround((p.value + b[i].value) / 2)]));
  assert.deepEqual(bn.scalars.get('validation/accuracy/max')!.map((p) => p.value), a.map((p, i) => Math.max(p.value, b[i].value)));
  assert.deepEqual(bn.hparams?.hparams, { backend: 'wasm', batch_size: 100, dataset: 'mnist', epochs: 2, learning_rate: 0.01, normalize: false, use_bn: true, seeds: '1,2', reduced_runs: 2 });
});

test('experiment: an existing run directory is never mixed into', { skip: SKIP_NO_MNIST, timeout: 240_000 }, () => {
  const logdir = tempDir('tbkit-e2e-');
  const args = ['experiment', '--data-dir', MNIST_DIR, '--limit', '300', '--epochs', '1', '--bn', 'on', '--no-progress', '--logdir', logdir];
  assert.equal(tbkit(args).code, 0);
  const second = tbkit(args);
  assert.equal(second.code, 0, second.err);
  assert.match(second.err, /already holds a run; writing .*bn-lr0\.01-2/);
  assert.deepEqual(listRuns(logdir).map((r) => r.name), ['bn-lr0.01', 'bn-lr0.01-2']);
  const third = tbkit([...args, '--overwrite']);
  assert.equal(third.code, 0, third.err);
  assert.deepEqual(listRuns(logdir).map((r) => r.name), ['bn-lr0.01', 'bn-lr0.01-2']);
  assert.equal(listRuns(logdir)[0].files.length, 1, 'overwrite replaces the old event file');
});

test('experiment: bad flags exit 2 with a message naming the flag', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--epochs', '-1'], /--epochs: expected a positive integer, got "-1"/],
    [['--epochs', '0'], /--epochs: expected a positive integer/],
    [['--lr', '0'], /--lr: learning rate must be a number > 0, got "0"/],
    [['--lr', '0.01,abc'], /--lr: learning rate must be a number > 0, got "abc"/],
    [['--backend', 'gpu'], /--backend: unknown value "gpu"; use one of: auto, tensorflow, wasm, cpu/],
    [['--bn', 'maybe'], /--bn: unknown value "maybe"/],
    [['--limit', '1.5'], /--limit: expected a positive integer/],
    [['--overwrite', '--resume'], /contradict/],
    [['--dataset', 'csv'], /--dataset csv needs --csv PATH/],
  ];
  for (const [args, message] of cases) {
    const r = tbkit(['experiment', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace for a usage error');
  }
});

test('experiment: missing or bad data is a clear error, not a stack trace', { timeout: 120_000 }, () => {
  const dir = tempDir('tbkit-e2e-data-');
  const missing = tbkit(['experiment', '--data-dir', path.join(dir, 'nope'), '--no-progress', '--logdir', path.join(dir, 'logs')]);
  assert.equal(missing.code, 2, missing.err);
  assert.match(missing.err, /nope/);
  assert.doesNotMatch(missing.err, /\n\s+at /);

  const csv = path.join(dir, 'train.csv');
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
  const row = (label: string, px: string) => [label, ...Array.from({ length: 784 }, () => px)].join(',');
  fs.writeFileSync(csv, [header, row('3', '0'), row('7', '300'), ''].join('\n'));
  const bad = tbkit(['experiment', '--csv', csv, '--no-progress', '--logdir', path.join(dir, 'logs')]);
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /train\.csv:3: column 2 \(pixel0\): value 300 is out of range 0-255/);
});

test('the npm bin launcher (bin/tbkit.js, sources through tsx) runs the experiment, whose modules load lazily', { timeout: 120_000 }, () => {
  const logdir = tempDir('tbkit-e2e-bin-');
  const r = spawnSync(process.execPath, ['bin/tbkit.js', 'experiment', '--dataset', 'synthetic', '--limit', '220', '--epochs', '1', '--bn', 'on', '--no-progress', '--logdir', logdir], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, MNIST_DIR: '', NO_COLOR: '1' },
    timeout: 110_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^epoch: +0, cost: \d+\.\d{4}, accuracy: \d\.\d{4}$/m);
  assert.deepEqual(listRuns(logdir).map((x) => x.name), ['bn-lr0.01']);
});
