/**
 * tensorBoard(logdir) in a real model.fit on the CPU backend: tfjs-node's tags, steps and train/val
 * runs, plus the graph, weight histograms and hparams, and never an exception into fit.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { tensorBoard } from '../../src/tfjs';
import { cpuBackend, tinyProblem, tmp } from './fit-helpers';
import { listRuns, readRun, type RunData } from '../../src/events';

function runs(logdir: string): Map<string, RunData> {
  return new Map(listRuns(logdir).map((r) => [r.name, readRun(r.files)]));
}

const steps = (run: RunData, tag: string): number[] => (run.scalars.get(tag) ?? []).map((p) => p.step);

test("updateFreq 'batch', histograms, graph, hparams: tfjs-node's tags in train/ and val/, the values fit computed", async () => {
  await cpuBackend();
  const logdir = tmp();
  const { model, xs, ys, vx, vy } = tinyProblem();
  const cb = tensorBoard(logdir, { updateFreq: 'batch', histogramFreq: 1, hparams: { lr: 0.1, optimizer: 'sgd' } });
  const history = await model.fit(xs, ys, { epochs: 3, batchSize: 10, validationData: [vx, vy], callbacks: [cb], verbose: 0 });
  await cb.close();

  const all = runs(logdir);
  assert.deepEqual([...all.keys()].sort(), ['.', 'train', 'val']);
  const train = all.get('train')!;
  const val = all.get('val')!;
  assert.deepEqual(steps(train, 'batch_loss'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(steps(train, 'batch_acc'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(steps(train, 'epoch_loss'), [1, 2, 3]);
  assert.deepEqual(steps(val, 'epoch_loss'), [1, 2, 3]);
  assert.deepEqual(steps(val, 'epoch_acc'), [1, 2, 3]);
  assert.ok(!train.scalars.has('batch_batch') && !train.scalars.has('batch_size') && !train.scalars.has('epoch_val_loss'));
  // The values are fit's own (float32 in the file).
  const f32 = (x: number) => Math.fround(x);
  assert.deepEqual(train.scalars.get('epoch_loss')!.map((p) => p.value), (history.history.loss as number[]).map(f32));
  assert.deepEqual(val.scalars.get('epoch_loss')!.map((p) => p.value), (history.history.val_loss as number[]).map(f32));
  // One histogram per weight per epoch, the graph once.
  const weights = model.weights.map((w) => w.name).sort();
  const histos = [...train.tags.values()].filter((t) => t.plugin === 'histograms');
  assert.deepEqual(histos.map((t) => t.tag).sort(), weights);
  for (const h of histos) assert.deepEqual(h.steps, [1, 2, 3]);
  assert.equal(train.tags.get('keras')?.plugin, 'graph_keras_model');
  // hparams: a session in the logdir itself, ended by the end of training, metrics in train/val.
  const root = all.get('.')!;
  assert.deepEqual(root.hparams?.hparams, { lr: 0.1, optimizer: 'sgd' });
  assert.equal(root.hparams?.status, 'STATUS_SUCCESS');
  const experiment = JSON.stringify(root.experiment);
  for (const group of ['train', 'val']) assert.ok(experiment.includes(`"group":"${group}"`), experiment);
  assert.ok(experiment.includes('epoch_acc'), experiment);
});

test("updateFreq 'epoch' (the default): epoch_* only, no histograms", async () => {
  await cpuBackend();
  const logdir = tmp();
  const { model, xs, ys } = tinyProblem(2);
  const cb = tensorBoard(logdir);
  await model.fit(xs, ys, { epochs: 2, batchSize: 10, callbacks: cb, verbose: 0 });
  await cb.close();
  const all = runs(logdir);
  assert.deepEqual([...all.keys()], ['train']); // no validation data: no val run, no hparams: no root run
  const train = all.get('train')!;
  assert.deepEqual([...train.scalars.keys()].sort(), ['epoch_acc', 'epoch_loss']);
  assert.ok(![...train.tags.values()].some((t) => t.plugin === 'histograms'));
});

test('never throws into fit: NaN and Infinity logged as they are, undefined skipped, a failure reported', async () => {
  await cpuBackend();
  const logdir = tmp();
  const { model, xs, ys } = tinyProblem(3);
  const errors: Error[] = [];
  const cb = tensorBoard(logdir, { onError: (e) => errors.push(e) });
  // A callback before ours hands on logs with what a diverging custom metric gives.
  const spoil = new tf.CustomCallback({ onEpochEnd: async (_epoch, logs) => void Object.assign(logs!, { weird: NaN, huge: Infinity }) });
  await model.fit(xs, ys, { epochs: 2, batchSize: 20, callbacks: [spoil, cb], verbose: 0 });
  // An undefined value (tfjs's own History cannot take one inside fit, so it is handed over directly).
  await cb.onEpochEnd(2, { loss: 0.5, val_loss: undefined, acc: undefined });
  await cb.onTrainEnd();
  assert.equal(errors.length, 0, errors.join('\n'));
  await cb.close();
  const all = runs(logdir);
  const train = all.get('train')!;
  assert.deepEqual(train.scalars.get('epoch_weird')!.map((p) => p.value), [NaN, NaN]);
  assert.deepEqual(train.scalars.get('epoch_huge')!.map((p) => p.value), [Infinity, Infinity]);
  assert.deepEqual(steps(train, 'epoch_loss'), [1, 2, 3]);
  assert.deepEqual(steps(train, 'epoch_acc'), [1, 2]);
  assert.equal(all.has('val'), false);

  // A failure inside the callback (here: its writers are closed) is reported, not thrown.
  await cb.onEpochEnd(5, { loss: 1 });
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /closed/);
});

test('bad options are refused when the callback is made, before fit', () => {
  assert.throws(() => tensorBoard('x', { updateFreq: 'step' as 'batch' }), /updateFreq must be 'batch' or 'epoch'/);
  assert.throws(() => tensorBoard('x', { histogramFreq: -1 }), /histogramFreq must be a non-negative integer/);
});
