import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose, onBackend, randomArray, rng, size } from './helpers';
import { simdKernels } from '../../src/tfjs/kernels/simd';
import {
  ConvGradGeometry, convFilterGradSparse, convInputGradSparse, sampledDensity, sparseApplies, SPARSE_MAX_DENSITY,
} from '../../src/tfjs/kernels/conv-grad-sparse';
import type { WasmBackendLike } from '../../src/tfjs/kernels/wasm-util';

// The conv gradients that skip dy's zeros, against the CPU backend's dense loops.
const RTOL = 1e-4;

type Pad = 'valid' | 'same' | tf.backend_util.ExplicitPadding;
interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: number | [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { x: [3, 13, 13, 32], f: [3, 3, 32, 64], s: 1, pad: 'valid' }, // the BN CNN's second conv, small batch
  { x: [2, 7, 8, 4], f: [3, 3, 4, 8], s: 1, pad: 'same' }, // padded plane, not square
  { x: [2, 9, 9, 8], f: [3, 3, 8, 4], s: 2, pad: 'valid' }, // stride: the last row/col of x unused
  { x: [1, 10, 9, 4], f: [3, 2, 4, 12], s: 2, pad: 'same' }, // stride + asymmetric padding
  { x: [4, 8, 8, 4], f: [2, 2, 4, 4], s: [2, 1], pad: 'valid' }, // unequal strides, even filter
  { x: [2, 6, 7, 12], f: [5, 5, 12, 8], s: 1, pad: 'same' }, // 5x5 filter
  { x: [2, 7, 7, 4], f: [3, 3, 4, 4], s: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] }, // explicit padding
  { x: [1, 5, 5, 4], f: [1, 1, 4, 8], s: 1, pad: 'valid' }, // 1x1 filter
];

function dyShape(c: Case): [number, number, number, number] {
  return tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad as never).outShape;
}

/** Random values of which only `density` are nonzero (the rest +0 or -0), as behind ReLU + max pool. */
function sparseArray(n: number, seed: number, density: number): Float32Array {
  const r = rng(seed);
  const a = randomArray(n, seed + 1);
  for (let i = 0; i < n; i++) if (r() >= density) a[i] = i % 2 ? 0 : -0;
  return a;
}

function filterGrad(c: Case, xv: Float32Array, dyv: Float32Array) {
  return () => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, c.x), dy: tf.tensor(dyv, dyShape(c)) }, {
    strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: c.f,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function inputGrad(c: Case, dyv: Float32Array, fv: Float32Array) {
  return () => tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dyv, dyShape(c)), filter: tf.tensor(fv, c.f) }, {
    strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: c.x,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** Non-finite values (NaN, ±Inf) at exactly the reference's positions, the rest equal within RTOL. */
function assertCloseNaN(got: Float32Array, want: Float32Array, what: string): void {
  const special = (a: Float32Array) => [...a.keys()].filter((i) => !Number.isFinite(a[i])).map((i) => [i, a[i]]);
  assert.deepEqual(special(got), special(want), `${what}: non-finite values`);
  const keep = (a: Float32Array) => a.map((v) => (Number.isFinite(v) ? v : 0));
  assertClose(keep(got), keep(want), RTOL, what);
}

function wasmBackend(): WasmBackendLike {
  return tf.findBackend('wasm') as unknown as WasmBackendLike;
}

function geometry(c: Case): ConvGradGeometry {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad as never);
  return { ...info, padTop: info.padInfo.top, padLeft: info.padInfo.left };
}

test('the sparse conv gradients, called directly, match the CPU backend for every geometry and density', async () => {
  await onBackend('wasm', () => tf.scalar(0));
  const simd = simdKernels((wasmBackend() as unknown as { wasm: object }).wasm);
  assert.ok(simd, 'SIMD kernels load');
  for (const [i, c] of cases.entries()) {
    for (const density of [0, 0.03, 0.25, 1]) {
      const xv = randomArray(size(c.x), 10 + i);
      const fv = randomArray(size(c.f), 20 + i);
      const dyv = sparseArray(size(dyShape(c)), 30 + i, density);
      const what = `case ${i} ${JSON.stringify(c)} density ${density}`;
      const [got] = await onBackend('wasm', () => {
        const b = wasmBackend();
        const x = tf.tensor(xv, c.x);
        const dy = tf.tensor(dyv, dyShape(c));
        const info = convFilterGradSparse(simd!, b, { dataId: x.dataId, shape: x.shape, dtype: 'float32' }, { dataId: dy.dataId, shape: dy.shape, dtype: 'float32' }, geometry(c));
        assert.ok(info, what);
        return tf.engine().makeTensorFromTensorInfo(info!);
      });
      const [want] = await onBackend('cpu', filterGrad(c, xv, dyv));
      assertClose(got, want, RTOL, `filter gradient, ${what}`);

      const [gotDx] = await onBackend('wasm', () => {
        const b = wasmBackend();
        const dy = tf.tensor(dyv, dyShape(c));
        const f = tf.tensor(fv, c.f);
        const info = convInputGradSparse(simd!, b, { dataId: dy.dataId, shape: dy.shape, dtype: 'float32' }, { dataId: f.dataId, shape: f.shape, dtype: 'float32' }, geometry(c));
        assert.ok(info, what);
        return tf.engine().makeTensorFromTensorInfo(info!);
      });
      const [wantDx] = await onBackend('cpu', inputGrad(c, dyv, fv));
      assertClose(gotDx, wantDx, RTOL, `input gradient, ${what}`);
    }
  }
});

test('the registered kernels take the sparse path for sparse dy and give the CPU backend\'s results either way', async () => {
  await onBackend('wasm', () => tf.scalar(0));
  const c = cases[0];
  const b = wasmBackend();
  const densities = { sparse: 0.1, dense: 0.9 };
  for (const [name, density] of Object.entries(densities)) {
    const dyv = sparseArray(size(dyShape(c)), 5, density);
    const d = sampledDensity(dyv);
    assert.ok(Math.abs(d - density) < 0.03, `sampled density ${d} for ${density}`);
    const dy = tf.tensor(dyv, dyShape(c));
    assert.equal(sparseApplies(geometry(c), b, { dataId: dy.dataId, shape: dy.shape, dtype: 'float32' }), name === 'sparse', name);
    dy.dispose();
    const xv = randomArray(size(c.x), 6);
    const fv = randomArray(size(c.f), 7);
    assertClose((await onBackend('wasm', filterGrad(c, xv, dyv)))[0], (await onBackend('cpu', filterGrad(c, xv, dyv)))[0], RTOL, `${name} dW`);
    assertClose((await onBackend('wasm', inputGrad(c, dyv, fv)))[0], (await onBackend('cpu', inputGrad(c, dyv, fv)))[0], RTOL, `${name} dx`);
  }
  assert.ok(SPARSE_MAX_DENSITY > 0.1 && SPARSE_MAX_DENSITY < 0.9);
});

/** Runs `fn` on wasm with the sparse path switched off (XNNPACK's dense path). */
async function onDenseWasm(fn: () => tf.Tensor): Promise<Float32Array> {
  process.env.TBKIT_NO_SPARSE_CONV = '1';
  try {
    return (await onBackend('wasm', fn))[0];
  } finally {
    delete process.env.TBKIT_NO_SPARSE_CONV;
  }
}

test('non-finite values give the dense path\'s results: NaN in dy spreads, Inf in x or NaN in the filter times a zero of dy is NaN', async () => {
  // The reference is XNNPACK's dense path: the CPU backend's loops skip some zero products (its
  // padding taps, and more) and so have fewer NaNs, all of which must be NaN here too.
  for (const c of [cases[0], cases[1]]) {
    const dyv = sparseArray(size(dyShape(c)), 8, 0.1);
    const xv = randomArray(size(c.x), 9);
    const fv = randomArray(size(c.f), 10);
    const withNaNdy = Float32Array.from(dyv);
    withNaNdy[7] = NaN;
    const withInfX = Float32Array.from(xv);
    withInfX[3] = Infinity;
    const withNaNf = Float32Array.from(fv);
    withNaNf[2] = NaN;
    const runs: Array<[string, () => tf.Tensor]> = [
      ['NaN in dy, dW', filterGrad(c, xv, withNaNdy)],
      ['NaN in dy, dx', inputGrad(c, withNaNdy, fv)],
      ['Inf in x, dW', filterGrad(c, withInfX, dyv)],
      ['NaN in the filter, dx', inputGrad(c, dyv, withNaNf)],
    ];
    for (const [what, run] of runs) {
      const [got] = await onBackend('wasm', run);
      const [cpu] = await onBackend('cpu', run);
      assert.ok(cpu.some((v) => Number.isNaN(v)), `${what}: the reference has NaNs`);
      assert.ok(cpu.every((v, i) => !Number.isNaN(v) || Number.isNaN(got[i])), `${what}: a NaN of the CPU backend is lost`);
      assertCloseNaN(got, await onDenseWasm(run), `${what}, pad ${c.pad}`);
    }
  }
});

test('the sparse path leaks no wasm memory or tensors (its padded planes and transposed filters are freed)', async () => {
  await onBackend('wasm', () => tf.scalar(0));
  const c = cases[1]; // padded plane
  const dyv = sparseArray(size(dyShape(c)), 11, 0.1);
  const xv = randomArray(size(c.x), 12);
  const step = () => tf.tidy(() => {
    const f = filterGrad(c, xv, dyv)();
    return tf.sum(inputGrad(c, dyv, Float32Array.from(f.dataSync()))());
  }).dispose();
  const backendIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  step();
  const before = { ...tf.memory(), ids: backendIds() };
  for (let i = 0; i < 5; i++) step();
  assert.deepEqual({ t: tf.memory().numTensors, ids: backendIds() }, { t: before.numTensors, ids: before.ids });
});
