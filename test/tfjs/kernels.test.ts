import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose, onBackend, randomArray, size } from './helpers';
import { simdKernels } from '../../src/tfjs/kernels/simd';

// Every custom wasm kernel vs the pure-JS CPU backend on seeded random inputs.
// Tolerance: |diff| <= 1e-4 * (max|ref| + |ref|) (float32, different summation order).
const RTOL = 1e-4;

type Pad = 'valid' | 'same';
interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: number | [number, number];
  pad: Pad;
}

const convCases: ConvCase[] = [
  { x: [2, 9, 9, 1], f: [3, 3, 1, 4], s: 1, pad: 'valid' }, // first-layer shape (cin 1)
  { x: [3, 8, 8, 5], f: [3, 3, 5, 6], s: 1, pad: 'valid' },
  { x: [2, 7, 8, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 2], s: 2, pad: 'valid' }, // rows/cols at the end unused
  { x: [1, 10, 9, 2], f: [3, 2, 2, 3], s: 2, pad: 'same' },
  { x: [4, 8, 8, 2], f: [2, 2, 2, 3], s: [2, 1], pad: 'valid' },
  { x: [2, 6, 7, 4], f: [5, 5, 4, 2], s: 1, pad: 'same' },
  { x: [5, 11, 11, 8], f: [3, 3, 8, 16], s: 1, pad: 'valid' }, // second-layer-like
  { x: [2, 9, 8, 1], f: [3, 3, 1, 5], s: 2, pad: 'same' }, // cin 1 + stride (dilated dy, depthwise path)
  { x: [1, 6, 6, 1], f: [2, 2, 1, 3], s: 1, pad: 'same' }, // even filter: asymmetric padding
  { x: [3, 28, 28, 1], f: [3, 3, 1, 32], s: 1, pad: 'valid' }, // the first layer: SIMD filter gradient
  { x: [2, 12, 9, 1], f: [3, 3, 1, 8], s: 1, pad: 'valid' }, // SIMD filter gradient, not square
  { x: [2, 9, 9, 1], f: [3, 3, 1, 6], s: 1, pad: 'valid' }, // 6 output channels: not in fours, XNNPACK path
];

function dyShape(c: ConvCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad);
  return info.outShape;
}

test('Conv2DBackpropFilter (wasm) matches cpu', async () => {
  for (const [i, c] of convCases.entries()) {
    const dys = dyShape(c);
    const xv = randomArray(size(c.x), 10 + i);
    const dyv = randomArray(size(dys), 100 + i);
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, c.x), dy: tf.tensor(dyv, dys) }, {
        strides: c.s,
        pad: c.pad,
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
        filterShape: c.f,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const [got] = await onBackend('wasm', run);
    const [want] = await onBackend('cpu', run);
    assertClose(got, want, RTOL, `case ${i} ${JSON.stringify(c)}`);
  }
});

test('Conv2DBackpropInput (wasm) matches cpu', async () => {
  for (const [i, c] of convCases.entries()) {
    const dys = dyShape(c);
    const fv = randomArray(size(c.f), 20 + i);
    const dyv = randomArray(size(dys), 200 + i);
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dyv, dys), filter: tf.tensor(fv, c.f) }, {
        strides: c.s,
        pad: c.pad,
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
        inputShape: c.x,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const [got] = await onBackend('wasm', run);
    const [want] = await onBackend('cpu', run);
    assertClose(got, want, RTOL, `case ${i} ${JSON.stringify(c)}`);
  }
});

test('conv2d gradients through tf.grads (wasm) match cpu, incl. explicit padding fallback', async () => {
  const xs: [number, number, number, number] = [2, 7, 7, 3];
  const fs: [number, number, number, number] = [3, 3, 3, 4];
  const xv = randomArray(size(xs), 1);
  const fv = randomArray(size(fs), 2);
  for (const pad of ['valid', 'same', [[0, 0], [1, 2], [0, 1], [0, 0]]] as const) {
    const run = () => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad as never))),
      );
      return g([tf.tensor(xv, xs), tf.tensor(fv, fs)]);
    };
    const got = await onBackend('wasm', run);
    const want = await onBackend('cpu', run);
    assertClose(got[0], want[0], RTOL, `dx pad ${JSON.stringify(pad)}`);
    assertClose(got[1], want[1], RTOL, `dw pad ${JSON.stringify(pad)}`);
  }
});

test('the WebAssembly SIMD kernels load on this runtime (else the kernels fall back silently)', async () => {
  await onBackend('wasm', () => tf.scalar(0));
  const backend = tf.findBackend('wasm') as unknown as { wasm: object };
  assert.notEqual(simdKernels(backend.wasm), null);
});

test('MaxPoolGrad (wasm) matches cpu, including ReLU ties', async () => {
  const cases: Array<{ x: [number, number, number, number]; k: number | [number, number]; s: number; pad: Pad }> = [
    { x: [3, 8, 8, 4], k: 2, s: 2, pad: 'valid' },
    { x: [2, 9, 9, 3], k: 2, s: 2, pad: 'valid' }, // odd size: last row/col dropped
    { x: [2, 7, 7, 5], k: 3, s: 1, pad: 'same' }, // overlapping windows accumulate
    { x: [2, 9, 8, 2], k: [3, 2], s: 2, pad: 'same' },
    { x: [1, 6, 6, 3], k: 3, s: 2, pad: 'valid' },
    // 2x2/stride 2 with channels in fours: the WebAssembly SIMD path (even and odd sizes)
    { x: [3, 10, 12, 8], k: 2, s: 2, pad: 'valid' },
    { x: [2, 11, 11, 64], k: 2, s: 2, pad: 'valid' },
    { x: [2, 26, 26, 32], k: 2, s: 2, pad: 'valid' },
  ];
  for (const [i, c] of cases.entries()) {
    const xv = randomArray(size(c.x), 30 + i);
    // Half the inputs become exactly 0, like after a ReLU, so ties decide routing.
    for (let j = 0; j < xv.length; j++) if (xv[j] < 0) xv[j] = 0;
    // A few -Infinity inputs (one whole window in the first image): no window maximum there.
    if (c.k === 2) {
      const C = c.x[3];
      for (const p of [0, 1, c.x[2], c.x[2] + 1]) for (let ch = 0; ch < C; ch++) xv[p * C + ch] = -Infinity;
      xv[5 * C + 1] = -Infinity;
    }
    const outShape = tf.backend_util.computePool2DInfo(c.x, c.k, c.s, 1, c.pad).outShape;
    const dyv = randomArray(size(outShape), 300 + i);
    const run = () =>
      tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.k, c.s, c.pad))(tf.tensor(xv, c.x), tf.tensor(dyv, outShape));
    const [got] = await onBackend('wasm', run);
    const [want] = await onBackend('cpu', run);
    assertClose(got, want, 1e-6, `case ${i} ${JSON.stringify(c)}`);
  }
});

test('Sum / Mean (wasm) match cpu for leading-axis and fallback reductions', async () => {
  const cases: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
    { shape: [6, 5, 4, 7], axis: [0, 1, 2], keepDims: false }, // BN/bias gradient pattern
    { shape: [6, 5, 4, 7], axis: [0, 1, 2], keepDims: true }, // tf.moments pattern
    { shape: [9, 3], axis: 0, keepDims: false },
    { shape: [4, 5, 6], axis: [1, 0], keepDims: false },
    { shape: [4, 5, 6], axis: [1, 2], keepDims: false }, // not leading: stock kernel
    { shape: [4, 5, 6], axis: -1, keepDims: true },
    { shape: [4, 5, 6], axis: [0, 1, 2], keepDims: false }, // full reduction: stock kernel
  ];
  for (const [i, c] of cases.entries()) {
    const v = randomArray(size(c.shape), 40 + i, -3, 5);
    const run = () => {
      const x = tf.tensor(v, c.shape);
      return [tf.sum(x, c.axis, c.keepDims), tf.mean(x, c.axis, c.keepDims)];
    };
    const got = await onBackend('wasm', run);
    const want = await onBackend('cpu', run);
    assertClose(got[0], want[0], RTOL, `sum case ${i}`);
    assertClose(got[1], want[1], RTOL, `mean case ${i}`);
  }
  // Shapes must survive too, not just values.
  await onBackend('wasm', () => {
    const r = tf.sum(tf.ones([2, 3, 4]), [0, 1], true);
    assert.deepEqual(r.shape, [1, 1, 4]);
    return r;
  });
});

test('Tile (wasm) matches cpu for broadcast and general patterns', async () => {
  const cases: Array<{ shape: number[]; reps: number[] }> = [
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1] }, // batchNorm-gradient pattern
    { shape: [1, 3], reps: [4, 1] },
    { shape: [2, 3], reps: [2, 2] }, // general: stock kernel
    { shape: [2, 1, 3], reps: [1, 4, 1] }, // general: stock kernel
  ];
  for (const [i, c] of cases.entries()) {
    const v = randomArray(size(c.shape), 50 + i);
    const run = () => tf.tile(tf.tensor(v, c.shape), c.reps);
    const [got] = await onBackend('wasm', run);
    const [want] = await onBackend('cpu', run);
    assertClose(got, want, 0, `tile case ${i}`);
  }
});

test('kernel composition leaks no wasm memory or tensors', async () => {
  await onBackend('wasm', () => tf.scalar(0));
  const xv = randomArray(2 * 9 * 9 * 3, 7);
  const dyv = randomArray(2 * 7 * 7 * 4, 8);
  const step = () =>
    tf.tidy(() => {
      const x = tf.tensor(xv, [2, 9, 9, 3]);
      const dy = tf.tensor(dyv, [2, 7, 7, 4]);
      const f = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 1, pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 3, 4],
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
      const b = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, {
        strides: 1, pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [2, 9, 9, 3],
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
      // The fused batch-norm op and its gradient (scratch buffers inside both).
      const bnGrads = tf.grads((a: tf.Tensor, g: tf.Tensor) =>
        tf.sum((tf.engine().runKernel('TbkitBatchNormTraining', { x: a, scale: g, offset: tf.zeros([4]) }, { varianceEpsilon: 1e-3 }) as tf.Tensor[])[0]),
      )([dy, tf.ones([4])]);
      return tf.sum(b).add(tf.sum(tf.tile(tf.reshape(tf.mean(x, [0, 1, 2]), [1, 1, 1, 3]), [2, 9, 9, 1]))).add(tf.sum(bnGrads[0]));
    }).dispose();
  // Intermediates of composite kernels bypass the engine, so also count the
  // wasm backend's own data ids.
  const backendIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  step();
  const before = { ...tf.memory(), ids: backendIds() };
  for (let i = 0; i < 5; i++) step();
  const after = { ...tf.memory(), ids: backendIds() };
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.ids, before.ids);
});

test('FusedBatchNorm (wasm) matches cpu for per-channel, scalar and fallback params', async () => {
  const shape = [3, 5, 4, 6];
  const C = 6;
  const xv = randomArray(size(shape), 60, -50, 200); // large mean vs std, like raw-pixel convs
  const p = (seed: number, lo: number, hi: number) => randomArray(C, seed, lo, hi);
  const cases: Array<{ name: string; run: () => tf.Tensor }> = [
    {
      name: 'rank-1 params',
      run: () =>
        tf.batchNorm(tf.tensor(xv, shape), tf.tensor1d(p(61, 40, 60)), tf.tensor1d(p(62, 100, 900)),
          tf.tensor1d(p(63, -1, 1)), tf.tensor1d(p(64, 0.5, 2)), 1e-3),
    },
    {
      name: 'keepDims-shaped params, no offset/scale',
      run: () =>
        tf.batchNorm(tf.tensor(xv, shape), tf.tensor(p(65, 40, 60), [1, 1, 1, C]), tf.tensor(p(66, 100, 900), [1, 1, 1, C])),
    },
    {
      name: 'scalar params',
      run: () => tf.batchNorm(tf.tensor(xv, shape), tf.scalar(3), tf.scalar(4), tf.scalar(0.5), tf.scalar(2), 1e-3),
    },
    {
      name: 'full-shape mean (stock kernel)',
      run: () =>
        tf.batchNorm(tf.tensor(xv, shape), tf.tensor(randomArray(size(shape), 67), shape),
          tf.tensor(randomArray(size(shape), 68, 1, 3), shape)),
    },
  ];
  for (const c of cases) {
    const [got] = await onBackend('wasm', c.run);
    const [want] = await onBackend('cpu', c.run);
    assertClose(got, want, RTOL, c.name);
  }
});

test('Identity (wasm) shares the buffer and survives disposal of either side', async () => {
  await onBackend('wasm', () => {
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
    return b;
  });
});

test('BatchMatMul (wasm) matches cpu for every transpose combination and batch broadcast', async () => {
  const cases: Array<{ a: number[]; b: number[]; tA: boolean; tB: boolean }> = [
    { a: [1, 7, 5], b: [1, 5, 3], tA: false, tB: false },
    { a: [1, 7, 5], b: [1, 3, 5], tA: false, tB: true }, // Dense dx = dy·Wᵀ
    { a: [1, 5, 7], b: [1, 5, 3], tA: true, tB: false }, // Dense dW = xᵀ·dy
    { a: [1, 5, 7], b: [1, 3, 5], tA: true, tB: true },
    { a: [3, 4, 6], b: [3, 2, 6], tA: false, tB: true },
    { a: [2, 6, 4], b: [1, 6, 5], tA: true, tB: false }, // broadcast batch
    { a: [9, 4], b: [9, 3], tA: true, tB: false }, // rank 2
  ];
  for (const [i, c] of cases.entries()) {
    const av = randomArray(size(c.a), 70 + i);
    const bv = randomArray(size(c.b), 80 + i);
    const run = () => tf.matMul(tf.tensor(av, c.a), tf.tensor(bv, c.b), c.tA, c.tB);
    const [got] = await onBackend('wasm', run);
    const [want] = await onBackend('cpu', run);
    assertClose(got, want, RTOL, `matmul case ${i} ${JSON.stringify(c)}`);
  }
});

test('Mean gradient (wasm override) matches cpu; same-dtype Cast shares, real Cast converts', async () => {
  const shape = [3, 4, 5, 6];
  const v = randomArray(size(shape), 90);
  for (const [axis, keepDims] of [[[0, 1, 2], false], [[1], true], [-1, false], [[0, 3], false]] as const) {
    const run = () => {
      const dyShape = tf.mean(tf.zeros(shape), axis as number | number[], keepDims).shape;
      const dy = tf.tensor(randomArray(size(dyShape), 91), dyShape);
      return tf.grad((x: tf.Tensor) => tf.mean(x, axis as number | number[], keepDims))(tf.tensor(v, shape), dy);
    };
    const [got] = await onBackend('wasm', run);
    const [want] = await onBackend('cpu', run);
    assertClose(got, want, 0, `mean grad axis ${JSON.stringify(axis)}`);
  }
  await onBackend('wasm', () => {
    const f = tf.tensor([1.5, -2, 0]);
    assert.deepEqual(Array.from(tf.cast(f, 'int32').dataSync()), [1, -2, 0]);
    assert.deepEqual(Array.from(tf.cast(tf.tensor([1, 0, 3], undefined, 'int32'), 'bool').dataSync()), [1, 0, 1]);
    const same = tf.cast(f, 'float32');
    f.dispose();
    assert.deepEqual(Array.from(same.dataSync()), [1.5, -2, 0]);
    return same;
  });
});

test('FusedBatchNorm gradient (wasm override) matches cpu', async () => {
  // (tfjs itself cannot differentiate batchNorm without scale/offset on any
  // backend, so only the affine form is compared.)
  const shape = [4, 3, 5, 6];
  const C = 6;
  const xv = randomArray(size(shape), 100, -20, 60);
  const dyv = randomArray(size(shape), 101);
  const mv = randomArray(C, 102, 0, 30);
  const vv = randomArray(C, 103, 50, 400);
  const sv = randomArray(C, 104, 0.5, 2);
  const ov = randomArray(C, 105);
  const runAll = () =>
    tf.grads((x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.batchNorm(x, m, v, o, s, 1e-3))(
      [tf.tensor(xv, shape), tf.tensor1d(mv), tf.tensor1d(vv), tf.tensor1d(sv), tf.tensor1d(ov)],
      tf.tensor(dyv, shape),
    );
  const got = await onBackend('wasm', runAll);
  const want = await onBackend('cpu', runAll);
  ['x', 'mean', 'variance', 'scale', 'offset'].forEach((n, i) => assertClose(got[i], want[i], RTOL, `d${n}`));
  // Through tf.moments, as the BN layer uses it in training.
  const run = () =>
    tf.grad((x: tf.Tensor) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, tf.tensor1d(ov), tf.tensor1d(sv), 1e-3);
    })(tf.tensor(xv, shape), tf.tensor(dyv, shape));
  const [gx] = await onBackend('wasm', run);
  const [wx] = await onBackend('cpu', run);
  assertClose(gx, wx, 1e-3, 'dx through moments'); // a sum of nearly cancelling terms
});

test('Relu gradient (wasm override, one SIMD pass) equals the stock mul(dy, step(x)) bit for bit', async () => {
  for (const [i, n] of [4 * 1000, 4 * 25 + 3, 2].entries()) {
    const xv = randomArray(n, 120 + i);
    for (let j = 0; j < n; j += 7) xv[j] = 0; // ReLU ties
    xv[1] = NaN;
    if (n > 10) [xv[5], xv[6], xv[n - 1]] = [-Infinity, Infinity, NaN];
    const dyv = randomArray(n, 130 + i);
    if (n > 10) [dyv[3], dyv[8], dyv[n - 2]] = [Infinity, -Infinity, NaN]; // Inf·0 = NaN, as stock
    const run = () => tf.grad((x: tf.Tensor) => tf.relu(x))(tf.tensor1d(xv), tf.tensor1d(dyv));
    const [got] = await onBackend('wasm', run);
    const [want] = await onBackend('cpu', run);
    assert.deepEqual(Array.from(got).map(String), Array.from(want).map(String), `n=${n}`);
  }
  const profile = await tf.profile(async () => {
    await onBackend('wasm', () => tf.grad((x: tf.Tensor) => tf.relu(x))(tf.ones([8])));
  });
  assert.ok(profile.kernelNames.includes('TbkitReluGrad'), profile.kernelNames.join(', '));
});
