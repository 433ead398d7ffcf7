import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, clippedCrossEntropy, createTrainer } from '../../src/experiments/bn/model';
import { selectBackend } from '../../src/tfjs/backend';
import { onBackend, relError, syntheticBatch } from './helpers';

test('clippedCrossEntropy matches the formula and survives y = 0', async () => {
  await selectBackend('wasm');
  const v = tf.tidy(() =>
    clippedCrossEntropy(tf, tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.5, 0.5], [0, 1]])).dataSync()[0],
  );
  // -(log 0.5 + log 1e-10) / 2
  assert.ok(Math.abs(v - -(Math.log(0.5) + Math.log(1e-10)) / 2) < 1e-4, `got ${v}`);
});

for (const useBn of [false, true]) {
  test(`whole-model gradients on wasm match cpu (batch 4, bn=${useBn})`, async () => {
    const { x, y } = syntheticBatch(4, 3);
    const grads = () => {
      const model = buildModel(tf, { useBn, seed: 5 });
      const xs = tf.tensor4d(x, [4, 28, 28, 1]);
      const ys = tf.tensor2d(y, [4, 10]);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads: g } = tf.variableGrads(
        () => clippedCrossEntropy(tf, ys, model.apply(xs, { training: true }) as tf.Tensor),
        vars,
      );
      const out = [value, ...vars.map((v) => g[v.name])];
      model.dispose();
      return out;
    };
    const got = await onBackend('wasm', grads);
    const want = await onBackend('cpu', grads);
    assert.equal(got.length, want.length);
    assert.ok(Math.abs(got[0][0] - want[0][0]) <= 1e-4 * Math.max(1, Math.abs(want[0][0])), `cost ${got[0][0]} vs ${want[0][0]}`);
    // Per-variable relative L2 error < 1e-3 (float32 reordering amplified by
    // the 0..255 inputs and BN's division by the batch std). Under BN a conv
    // bias has an exactly-zero true gradient, so both sides are rounding
    // noise: those are only required to be negligible next to the others.
    const norm = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
    const scale = Math.max(...want.slice(1).map(norm));
    for (let i = 1; i < got.length; i++) {
      if (norm(want[i]) < 1e-4 * scale) {
        assert.ok(norm(got[i]) < 1e-4 * scale, `variable ${i}: ${norm(got[i])} not ~0 (scale ${scale})`);
        continue;
      }
      const e = relError(got[i], want[i]);
      assert.ok(e < 1e-3, `variable ${i}: relative error ${e}`);
    }
  });
}

test('a few Adam steps on wasm reduce the cost; tensors do not grow over 20 steps', async () => {
  await selectBackend('wasm');
  const { x, y } = syntheticBatch(16, 11);
  const xs = tf.tensor4d(x, [16, 28, 28, 1]);
  const ys = tf.tensor2d(y, [16, 10]);
  for (const [useBn, lr] of [[true, 0.01], [false, 0.001]] as const) {
    const model = buildModel(tf, { useBn, seed: 2 });
    const trainer = createTrainer(tf, model, { learningRate: lr });
    const costs: number[] = [];
    let numTensors = -1;
    for (let i = 0; i < 20; i++) {
      const c = trainer.trainStep(xs, ys);
      costs.push((await c.data())[0]);
      c.dispose();
      if (i === 1) numTensors = tf.memory().numTensors; // after Adam created its slots
      if (i > 1) assert.equal(tf.memory().numTensors, numTensors, `tensor count grew at step ${i}`);
    }
    assert.ok(costs.every(Number.isFinite), `non-finite cost: ${costs}`);
    assert.ok(costs[19] < costs[0] * 0.8, `bn=${useBn}: cost did not go down: ${costs[0]} -> ${costs[19]}`);
    const ev = await trainer.evaluate(xs, ys, 7);
    assert.ok(ev.accuracy >= 0 && ev.accuracy <= 1 && Number.isFinite(ev.cost), JSON.stringify(ev));
    trainer.optimizer.dispose();
    model.dispose();
  }
  xs.dispose();
  ys.dispose();
});

test('same seed gives identical initial weights and identical cost after 3 steps (wasm)', async () => {
  await selectBackend('wasm');
  const { x, y } = syntheticBatch(8, 21);
  const xs = tf.tensor4d(x, [8, 28, 28, 1]);
  const ys = tf.tensor2d(y, [8, 10]);
  const run = async (seed: number) => {
    const model = buildModel(tf, { useBn: true, seed });
    const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    const trainer = createTrainer(tf, model, { learningRate: 0.01 });
    let cost = NaN;
    for (let i = 0; i < 3; i++) {
      const c = trainer.trainStep(xs, ys);
      cost = (await c.data())[0];
      c.dispose();
    }
    trainer.optimizer.dispose();
    model.dispose();
    return { weights, cost };
  };
  const a = await run(7);
  const b = await run(7);
  const c = await run(8);
  assert.equal(a.weights.length, b.weights.length);
  for (let i = 0; i < a.weights.length; i++) assert.deepEqual(a.weights[i], b.weights[i]);
  assert.equal(a.cost, b.cost);
  assert.notDeepEqual(a.weights[0], c.weights[0]);
  xs.dispose();
  ys.dispose();
});

test('model serialises (toJSON) and BN moving stats change only in training mode', async () => {
  await selectBackend('wasm');
  const model = buildModel(tf, { useBn: true, seed: 1 });
  const json = model.toJSON(null, false) as { config: { layers: Array<{ class_name: string }> } };
  const classes = json.config.layers.map((l) => l.class_name);
  assert.deepEqual(classes.filter((c) => c === 'BatchNormalization').length, 2);
  const movingMean = () => Float32Array.from(model.getLayer('bn1').getWeights()[2].dataSync());
  const { x, y } = syntheticBatch(4, 5);
  const xs = tf.tensor4d(x, [4, 28, 28, 1]);
  const ys = tf.tensor2d(y, [4, 10]);
  const trainer = createTrainer(tf, model, { learningRate: 0.01 });
  const m0 = movingMean();
  await trainer.evaluate(xs, ys);
  assert.deepEqual(movingMean(), m0);
  trainer.trainStep(xs, ys).dispose();
  assert.notDeepEqual(movingMean(), m0);
  trainer.optimizer.dispose();
  model.dispose();
  xs.dispose();
  ys.dispose();
});

test('conv1 (no input gradient) equals a stock tf.layers Conv2D: output and kernel/bias gradients', async () => {
  // The model's first conv skips the unused gradient of its input. A stock Conv2D layer with the
  // same weights is the reference: same output, same gradients, on cpu and on wasm.
  const { x } = syntheticBatch(4, 7);
  const r = Float32Array.from({ length: 4 * 26 * 26 * 32 }, (_, i) => Math.sin(i));
  for (const backend of ['cpu', 'wasm'] as const) {
    const res = await onBackend(backend, () => {
      const model = buildModel(tf, { useBn: false, seed: 9 });
      const ours = model.getLayer('conv1');
      const stock = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'valid', useBias: true });
      stock.apply(tf.input({ shape: [28, 28, 1] }));
      stock.setWeights(ours.getWeights());
      assert.equal(ours.getClassName(), 'Conv2D');
      const xs = tf.tensor4d(x, [4, 28, 28, 1]);
      const rs = tf.tensor4d(r, [4, 26, 26, 32]);
      const out: tf.Tensor[] = [];
      for (const layer of [ours, stock]) {
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xs) as tf.Tensor, rs)) as tf.Scalar, vars);
        out.push(layer.apply(xs) as tf.Tensor, value, ...vars.map((v) => grads[v.name]));
      }
      model.dispose();
      return out;
    });
    const half = res.length / 2;
    for (let i = 0; i < half; i++) {
      const e = relError(res[i], res[half + i]);
      assert.ok(e < 1e-5, `${backend}: output ${i} (out, value, dkernel, dbias): relative error ${e}`);
    }
  }
});
