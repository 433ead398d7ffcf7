import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { TfjsCheckpointer, fileLoadHandler } from '../../src/tfjs/checkpoint';
import { lazyScalar, scalarValue, scalarValues } from '../../src/tfjs/values';
import { MonitoredTrainingSession } from '../../src/session';
import type { Hook } from '../../src/hook-contract';
import { tmpDir } from './helpers';

function makeModel(seed: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
  return model;
}

const xs = tf.tensor2d([[0, 1], [1, 0], [1, 1], [0, 0]]);
const ys = tf.tensor2d([[1], [1], [0], [0]]);

async function weightsOf(m: tf.LayersModel): Promise<number[][]> {
  return Promise.all(m.getWeights().map(async (w) => Array.from(await w.data())));
}

async function optState(m: tf.LayersModel): Promise<Array<[string, number[]]>> {
  const named = await (m.optimizer as tf.Optimizer).getWeights();
  const out = await Promise.all(named.map(async (n) => [n.name, Array.from(await n.tensor.data())] as [string, number[]]));
  named.forEach((n) => n.tensor instanceof tf.Variable || n.tensor.dispose());
  return out;
}

test('TfjsCheckpointer round-trips a LayersModel’s weights and Adam state (iterations + moments) and user state', async () => {
  await tf.setBackend('cpu');
  const a = makeModel(1);
  for (let i = 0; i < 5; i++) await a.trainOnBatch(xs, ys);
  const dir = path.join(tmpDir(), 'ckpt-5', 'model');
  let userState: unknown = { batch: 42 };
  await new TfjsCheckpointer({ model: a, getState: () => ({ batch: 42 }) }).save(dir);
  const saved = await weightsOf(a);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin']);
  assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['model'], 'no temp dir left behind');

  const b = makeModel(7);
  assert.notDeepEqual(await weightsOf(b), await weightsOf(a));
  userState = undefined;
  await new TfjsCheckpointer({ model: b, setState: (s) => void (userState = s) }).restore(dir);
  assert.deepEqual(await weightsOf(b), await weightsOf(a));
  assert.equal((b.optimizer as tf.Optimizer).iterations, 5);
  assert.deepEqual(await optState(b), await optState(a));
  assert.deepEqual(userState, { batch: 42 });

  // Same state ⇒ the next Adam step is identical.
  await a.trainOnBatch(xs, ys);
  await b.trainOnBatch(xs, ys);
  const wa = (await weightsOf(a)).flat();
  const wb = (await weightsOf(b)).flat();
  wa.forEach((v, i) => assert.ok(Math.abs(v - wb[i]) < 1e-6, `weight ${i}: ${v} vs ${wb[i]}`));

  // The files are a standard layers-model: tf.loadLayersModel reads them back.
  const loaded = await tf.loadLayersModel(fileLoadHandler(dir));
  assert.deepEqual(await weightsOf(loaded), saved);
  assert.equal(loaded.layers.length, 2);

  // Saving over an existing directory replaces it atomically.
  await new TfjsCheckpointer({ model: a }).save(dir);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'optimizer.bin', 'optimizer.json', 'weights.bin']);
  assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['model']);
  for (const m of [a, b, loaded]) m.dispose();
});

test('restore refuses an optimizer of another class', async () => {
  await tf.setBackend('cpu');
  const a = makeModel(1);
  await a.trainOnBatch(xs, ys);
  const dir = path.join(tmpDir(), 'm');
  await new TfjsCheckpointer(a).save(dir); // positional form: (model, optimizer = model.optimizer)
  const b = makeModel(1);
  await assert.rejects(new TfjsCheckpointer({ model: b, optimizer: tf.train.sgd(0.1) }).restore(dir), /Adam.*SGD|checkpoint optimizer is Adam/);
  a.dispose();
  b.dispose();
});

test('tfjs values: lazyScalar is computed only when requested; tensors are read with data() and disposed', async () => {
  await tf.setBackend('cpu');
  assert.equal(await scalarValue(tf.scalar(2.5)), 2.5);
  assert.deepEqual(await scalarValues({ a: tf.scalar(1), b: 2 }), { a: 1, b: 2 });
  let computed = 0;
  const want: Hook = { name: 'want', beforeRun: (ctx) => (ctx.localStep === 2 ? ['acc'] : undefined) };
  const seen: number[] = [];
  const s = await MonitoredTrainingSession.create({ handleSignals: false, hooks: [want, { name: 'see', afterRun: (_c, v) => void (v.acc !== undefined && seen.push(v.acc)) }] });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    await s.run(() => ({ cost: tf.scalar(i), acc: lazyScalar(() => (computed++, tf.scalar(0.5).add(tf.scalar(0.25)))) }));
  }
  await s.close();
  assert.equal(computed, 1);
  assert.deepEqual(seen, [0.75]);
  assert.equal(tf.memory().numTensors, before, 'every tensor the steps created was disposed');
});
