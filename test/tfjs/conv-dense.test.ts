import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose, onBackend, randomArray, size } from './helpers';

// The dense stride-1 conv loops (src/tfjs/kernels/conv-dense.ts): against the CPU backend, and bit
// for bit against the XNNPACK convolutions they replace (TBKIT_NO_DENSE_CONV=1 runs those).
const RTOL = 1e-4;

interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
}

const cases: Case[] = [
  { x: [3, 13, 13, 32], f: [3, 3, 32, 64] }, // the BN CNN's second conv, small batch
  { x: [2, 28, 28, 1], f: [3, 3, 1, 32] }, // the first conv (forward; one input channel)
  { x: [2, 7, 9, 8], f: [3, 3, 8, 16] }, // not square: tiles cross rows and images
  { x: [1, 9, 8, 16], f: [5, 5, 16, 8] }, // 5x5: the input gradient skips up to 4 kernel rows
  { x: [2, 6, 7, 8], f: [2, 3, 8, 24] }, // even, not square filter
  { x: [3, 4, 5, 12], f: [1, 1, 12, 8] }, // 1x1
  { x: [1, 3, 3, 8], f: [3, 3, 8, 8] }, // one output pixel
];

const dyShape = (c: Case): [number, number, number, number] => [c.x[0], c.x[1] - c.f[0] + 1, c.x[2] - c.f[1] + 1, c.f[3]];

function kernels(c: Case, xv: Float32Array, fv: Float32Array, bv: Float32Array, dyv: Float32Array) {
  const conv = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined };
  return {
    forward: () => tf.fused.conv2d({ x: tf.tensor4d(xv, c.x), filter: tf.tensor4d(fv, c.f), bias: tf.tensor1d(bv), strides: 1, pad: 'valid' }),
    filterGrad: () => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, c.x), dy: tf.tensor(dyv, dyShape(c)) }, { ...conv, filterShape: c.f } as unknown as tf.NamedAttrMap) as tf.Tensor,
    inputGrad: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dyv, dyShape(c)), filter: tf.tensor(fv, c.f) }, { ...conv, inputShape: c.x } as unknown as tf.NamedAttrMap) as tf.Tensor,
  };
}

async function withoutDense<T>(fn: () => Promise<T>): Promise<T> {
  process.env.TBKIT_NO_DENSE_CONV = '1';
  try {
    return await fn();
  } finally {
    delete process.env.TBKIT_NO_DENSE_CONV;
  }
}

test('dense conv, filter and input gradients match the CPU backend and equal XNNPACK bit for bit', async () => {
  for (const [i, c] of cases.entries()) {
    const xv = randomArray(size(c.x), 300 + i, -2, 2);
    const fv = randomArray(size(c.f), 310 + i);
    const bv = randomArray(c.f[3], 320 + i);
    const dyv = randomArray(size(dyShape(c)), 330 + i);
    for (const [name, run] of Object.entries(kernels(c, xv, fv, bv, dyv))) {
      const [got] = await onBackend('wasm', run);
      const [want] = await onBackend('cpu', run);
      assertClose(got, want, RTOL, `case ${i} ${name}`);
      const [xnnpack] = await withoutDense(() => onBackend('wasm', run));
      assert.ok(Buffer.from(got.buffer).equals(Buffer.from(xnnpack.buffer)), `case ${i} ${name}: not bit-identical to XNNPACK`);
    }
  }
});

test('the dense loops are the ones that run (the profile names no XNNPACK Conv2D inside the gradients)', async () => {
  const c = cases[0];
  const k = kernels(c, randomArray(size(c.x), 1), randomArray(size(c.f), 2), randomArray(64, 3), randomArray(size(dyShape(c)), 4));
  await onBackend('wasm', () => tf.scalar(0));
  const stockConv2D = tf.getKernel('Conv2D', 'wasm')!;
  let calls = 0;
  tf.unregisterKernel('Conv2D', 'wasm');
  tf.registerKernel({ ...stockConv2D, kernelFunc: (a) => (calls++, stockConv2D.kernelFunc(a)) });
  try {
    await onBackend('wasm', () => [k.filterGrad(), k.inputGrad()]);
    assert.equal(calls, 0, 'XNNPACK Conv2D ran');
    await withoutDense(() => onBackend('wasm', () => [k.filterGrad(), k.inputGrad()]));
    assert.equal(calls, 2, 'the XNNPACK path is what TBKIT_NO_DENSE_CONV=1 runs');
  } finally {
    tf.unregisterKernel('Conv2D', 'wasm');
    tf.registerKernel(stockConv2D);
  }
});

/** NaN and ±Inf at the CPU backend's positions, the rest within RTOL. */
function assertSameNonFinite(got: Float32Array, want: Float32Array, what: string): void {
  const special = (a: Float32Array) => [...a.keys()].filter((j) => !Number.isFinite(a[j])).map((j) => `${j}:${a[j]}`);
  assert.deepEqual(special(got), special(want), `${what}: non-finite values`);
  const keep = (a: Float32Array) => a.map((v) => (Number.isFinite(v) ? v : 0));
  assertClose(keep(got), keep(want), RTOL, what);
}

test('dense convs with NaN and ±Inf inputs give the CPU backend\'s non-finite values', async () => {
  const c = cases[2];
  const xv = randomArray(size(c.x), 400);
  const fv = randomArray(size(c.f), 401);
  const bv = randomArray(c.f[3], 402);
  const dyv = randomArray(size(dyShape(c)), 403);
  [xv[0], xv[77], xv[500]] = [NaN, Infinity, -Infinity];
  [dyv[5], dyv[300]] = [NaN, Infinity];
  for (const [name, run] of Object.entries(kernels(c, xv, fv, bv, dyv))) {
    const [got] = await onBackend('wasm', run);
    const [want] = await onBackend('cpu', run);
    assertSameNonFinite(got, want, name);
  }
  // A non-finite filter: the forward pass still runs the dense loop; the input gradient keeps
  // XNNPACK's path (skipping its zero rows is exact only for a finite filter), whose zero padding
  // makes 0·Inf = NaN where the CPU backend has none, as it did before the dense loops.
  fv[10] = -Infinity;
  const { forward, inputGrad } = kernels(c, xv, fv, bv, dyv);
  const [got] = await onBackend('wasm', forward);
  const [want] = await onBackend('cpu', forward);
  assertSameNonFinite(got, want, 'forward, non-finite filter');
  const [dx] = await onBackend('wasm', inputGrad);
  const [xnnpack] = await withoutDense(() => onBackend('wasm', inputGrad));
  assert.deepEqual(Array.from(dx).map(String), Array.from(xnnpack).map(String), 'input gradient, non-finite filter: the XNNPACK path');
});

test('the dense loops leak no wasm memory or tensors', async () => {
  const c = cases[2];
  const k = kernels(c, randomArray(size(c.x), 1), randomArray(size(c.f), 2), randomArray(c.f[3], 3), randomArray(size(dyShape(c)), 4));
  await onBackend('wasm', () => [k.forward(), k.filterGrad(), k.inputGrad()]);
  const backendIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  const before = { t: tf.memory().numTensors, ids: backendIds() };
  for (let r = 0; r < 3; r++) await onBackend('wasm', () => [k.forward(), k.filterGrad(), k.inputGrad()]);
  assert.deepEqual({ t: tf.memory().numTensors, ids: backendIds() }, before);
});
