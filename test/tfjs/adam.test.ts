import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onBackend, randomArray } from './helpers';
import { fuseAdam } from '../../src/tfjs/adam';

// fuseAdam: one kernel per variable, bit for bit tf.train.adam's 12 ops, on the same optimizer state.

const SHAPES = [[3, 3, 1, 32], [7], [1600, 10], [5, 1]];

/** Trains variables of SHAPES for `steps` steps on seeded gradients; returns the values, moments and weights' names. */
async function train(backend: 'wasm' | 'cpu', fused: boolean, steps: number, grads: (step: number, i: number, n: number) => Float32Array) {
  let names: string[] = [];
  const out = await onBackend(backend, () => {
    const vars = SHAPES.map((s, i) => tf.variable(tf.tensor(randomArray(s.reduce((a, b) => a * b, 1), 40 + i), s), true, `adam_test_${backend}_${fused}_${i}_${Math.random()}`));
    const opt = tf.train.adam(0.01);
    if (fused) fuseAdam(tf, opt);
    for (let k = 0; k < steps; k++) {
      opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(grads(k, i, v.size), v.shape) })));
    }
    const state = (opt as unknown as { accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>; accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }> });
    names = [...state.accumulatedFirstMoment, ...state.accumulatedSecondMoment].map((s) => s.originalName.replace(/^.*_(\d+)_[\d.]+\//, '$1/'));
    const result = [...vars.map((v) => v.clone()), ...state.accumulatedFirstMoment.map((s) => s.variable.clone()), ...state.accumulatedSecondMoment.map((s) => s.variable.clone()), tf.scalar(opt.iterations)];
    opt.dispose();
    vars.forEach((v) => v.dispose());
    return result;
  });
  return { out, names };
}

const gaussian = (k: number, i: number, n: number) => randomArray(n, 1000 * k + i, -3, 3);

test('fused Adam equals tf.train.adam bit for bit on wasm, and the CPU backend within float32 rounding', async () => {
  const fused = await train('wasm', true, 6, gaussian);
  const stock = await train('wasm', false, 6, gaussian);
  assert.deepEqual(fused.names, stock.names);
  fused.out.forEach((a, j) => assert.ok(Buffer.from(a.buffer).equals(Buffer.from(stock.out[j].buffer)), `output ${j} differs`));
  const cpu = await train('cpu', false, 6, gaussian);
  fused.out.forEach((a, j) => a.forEach((v, e) => assert.ok(Math.abs(v - cpu.out[j][e]) <= 1e-5 * (1 + Math.abs(v)), `output ${j}[${e}]: ${v} vs cpu ${cpu.out[j][e]}`)));
});

test('fused Adam with NaN and ±Inf gradients gives the stock optimizer\'s values', async () => {
  const special = (k: number, i: number, n: number) => {
    const g = gaussian(k, i, n);
    if (n > 3) [g[0], g[1], g[2]] = [NaN, Infinity, -Infinity];
    if (k === 2) g.fill(0);
    return g;
  };
  const fused = await train('wasm', true, 3, special);
  const stock = await train('wasm', false, 3, special);
  fused.out.forEach((a, j) => assert.deepEqual(Array.from(a).map(String), Array.from(stock.out[j]).map(String), `output ${j}`));
});

test('fused Adam runs one kernel per variable and leaks no tensors', async () => {
  await onBackend('wasm', () => tf.scalar(0));
  const v = tf.variable(tf.ones([4, 4]), true, `adam_leak_${Math.random()}`);
  const opt = tf.train.adam(0.1);
  fuseAdam(tf, opt);
  fuseAdam(tf, opt); // idempotent
  const step = () => tf.tidy(() => opt.applyGradients([{ name: v.name, tensor: tf.fill([4, 4], 0.5) }]));
  step();
  const before = tf.memory().numTensors;
  const profile = await tf.profile(() => { step(); });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(profile.kernelNames.filter((k) => k === 'TbkitAdamUpdate').length, 1, profile.kernelNames.join(', '));
  assert.equal(opt.iterations, 2);
  opt.dispose();
  v.dispose();
  assert.throws(() => fuseAdam(tf, tf.train.sgd(0.1) as unknown as tf.AdamOptimizer), /fuseAdam: the optimizer is a SGD, not Adam/);
});
