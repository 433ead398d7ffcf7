import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose, onBackend, randomArray, size } from './helpers';
import { fuseBatchNormTraining } from '../../src/tfjs/batch-norm';
import { BN_TRAINING } from '../../src/tfjs/kernels/batch-norm-training';

// The fused batch-norm training op (wasm) against tf.moments + tf.batchNorm on the CPU backend.
const EPS = 1e-3;
const shapes = [
  [4, 5, 6, 8], // C in fours: the SIMD loops
  [2, 26, 26, 32], // the BN CNN's first layer (2 images): several 512-row chunks
  [3, 7, 5], // C = 5: the JS loops
  [10, 12], // rank 2 (a dense layer's output)
  [1, 1, 1, 4], // one row: variance 0
];

interface Case {
  shape: number[];
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  /** Weights of a loss Σ y·wy + Σ mean·wm + Σ variance·wv, so every output gets a gradient. */
  wy: Float32Array;
  wm: Float32Array;
  wv: Float32Array;
}

function makeCase(shape: number[], seed: number): Case {
  const c = shape[shape.length - 1];
  return {
    shape,
    x: randomArray(size(shape), seed, -50, 200), // large mean next to the spread, like raw-pixel convs
    gamma: randomArray(c, seed + 1, 0.5, 2),
    beta: randomArray(c, seed + 2),
    wy: randomArray(size(shape), seed + 3),
    wm: randomArray(c, seed + 4),
    wv: randomArray(c, seed + 5, -0.01, 0.01),
  };
}

/** [y, mean, variance, dx, dgamma, dbeta]: fused on wasm, composite elsewhere. */
function forwardAndGrads(k: Case, fused: boolean): tf.Tensor[] {
  const axes = k.shape.slice(0, -1).map((_, i) => i);
  const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor[] => {
    if (fused) {
      return tf.engine().runKernel(BN_TRAINING, { x, scale: g, offset: b }, { varianceEpsilon: EPS }) as tf.Tensor[];
    }
    const { mean, variance } = tf.moments(x, axes);
    return [tf.batchNorm(x, mean, variance, b, g, EPS), mean, variance];
  };
  const inputs = [tf.tensor(k.x, k.shape), tf.tensor1d(k.gamma), tf.tensor1d(k.beta)];
  const outs = f(inputs[0], inputs[1], inputs[2]);
  const loss = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
    const [y, m, v] = f(x, g, b);
    return tf.addN([tf.sum(tf.mul(y, tf.tensor(k.wy, k.shape))), tf.sum(tf.mul(m, tf.tensor1d(k.wm))), tf.sum(tf.mul(v, tf.tensor1d(k.wv)))]) as tf.Scalar;
  };
  return [...outs, ...tf.grads(loss)(inputs)];
}

test('fused BN training op (wasm) matches tf.moments + tf.batchNorm (cpu): outputs and all gradients', async () => {
  for (const [i, shape] of shapes.entries()) {
    const k = makeCase(shape, 400 + 10 * i);
    const got = await onBackend('wasm', () => forwardAndGrads(k, true));
    const want = await onBackend('cpu', () => forwardAndGrads(k, false));
    ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'].forEach((n, j) =>
      // dx is a difference of nearly cancelling terms (as in the FusedBatchNorm gradient test)
      assertClose(got[j], want[j], n === 'dx' ? 1e-3 : 1e-4, `${n} for [${shape}]`),
    );
  }
});

test('fused BN: a constant channel has variance 0 and finite outputs; NaN input propagates', async () => {
  const [y, , v] = await onBackend('wasm', () =>
    tf.engine().runKernel(BN_TRAINING, { x: tf.fill([3, 4, 4], 7), scale: tf.ones([4]), offset: tf.fill([4], 0.5) }, { varianceEpsilon: EPS }) as tf.Tensor[],
  );
  assert.deepEqual(Array.from(v), [0, 0, 0, 0]);
  assert.ok(y.every((e) => e === 0.5), `y ${y.slice(0, 4)}`);
  const xv = new Float32Array(16).fill(1);
  xv[5] = NaN; // channel 1
  const [yn, mn] = await onBackend('wasm', () =>
    tf.engine().runKernel(BN_TRAINING, { x: tf.tensor(xv, [4, 4]), scale: tf.ones([4]), offset: tf.zeros([4]) }, { varianceEpsilon: EPS }) as tf.Tensor[],
  );
  assert.ok(Number.isNaN(mn[1]) && mn[0] === 1, `mean ${mn}`);
  assert.ok(Number.isNaN(yn[1]) && yn[0] === 0, `y ${yn.slice(0, 4)}`);
});

test('fuseBatchNormTraining: same output, moving statistics and gradients as the stock layer; fused op really used', async () => {
  await onBackend('wasm', () => tf.scalar(0));
  const shape = [3, 6, 5, 8];
  const xv = randomArray(size(shape), 500, -20, 90);
  const dyv = randomArray(size(shape), 501);
  const make = (fused: boolean): tf.layers.Layer => {
    const layer = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, gammaInitializer: 'randomUniform', betaInitializer: 'randomUniform' });
    layer.build(shape);
    layer.setWeights([tf.tensor1d(randomArray(8, 502, 0.5, 2)), tf.tensor1d(randomArray(8, 503)), tf.zeros([8]), tf.ones([8])]);
    if (fused) fuseBatchNormTraining(tf, layer);
    return layer;
  };
  const run = (layer: tf.layers.Layer): Float32Array[] => {
    const x = tf.tensor(xv, shape);
    const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, tf.tensor(dyv, shape))) as tf.Scalar, [gamma, beta]);
    const out = [value, grads[gamma.name], grads[beta.name], ...layer.getWeights().slice(2)];
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    const res = [...out, inference].map((t) => Float32Array.from(t.dataSync()));
    tf.dispose([x, value, ...Object.values(grads), inference]);
    return res;
  };
  const fused = make(true);
  const stock = make(false);
  const profile = await tf.profile(() => run(fused)[0] as unknown as tf.Tensor);
  assert.ok(profile.kernelNames.includes(BN_TRAINING), `kernels used: ${profile.kernelNames.join(', ')}`);
  run(stock); // the profiled call above updated the fused layer's moving statistics once already
  const got = run(fused);
  const want = run(stock);
  ['loss', 'dgamma', 'dbeta', 'moving mean', 'moving variance', 'inference output'].forEach((n, i) => assertClose(got[i], want[i], 1e-4, n));
  for (const w of [...fused.weights, ...stock.weights]) w.dispose();
  assert.throws(() => fuseBatchNormTraining(tf, tf.layers.dense({ units: 2 })), /is a Dense, not a BatchNormalization/);
});

test('fused BN statistics stay exact when the mean dwarfs the spread (vs float64)', async () => {
  const shape = [64, 20, 8];
  const xv = randomArray(size(shape), 600, -1, 1);
  for (let i = 0; i < xv.length; i++) xv[i] += 1000 + (i % 8) * 100; // per-channel means 1000..1700, spread ±1
  const [, mean, variance] = await onBackend('wasm', () =>
    tf.engine().runKernel(BN_TRAINING, { x: tf.tensor(xv, shape), scale: tf.ones([8]), offset: tf.zeros([8]) }, { varianceEpsilon: EPS }) as tf.Tensor[],
  );
  const rows = xv.length / 8;
  for (let c = 0; c < 8; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += xv[r * 8 + c];
    const m = s / rows;
    let q = 0;
    for (let r = 0; r < rows; r++) q += (xv[r * 8 + c] - m) ** 2;
    assert.ok(Math.abs(mean[c] - m) <= 1e-6 * m, `channel ${c}: mean ${mean[c]} vs ${m}`);
    assert.ok(Math.abs(variance[c] - q / rows) <= 1e-4 * (q / rows), `channel ${c}: variance ${variance[c]} vs ${q / rows}`);
  }
});
