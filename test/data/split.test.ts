import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  ImageDataset,
  epochPermutation,
  gatherBatch,
  loadDataset,
  loadMnist,
  shuffledBatches,
  trainValidationSplit,
} from '../../src/experiments/bn/data';
import { createRng } from '../../src/util';
import { MNIST_DIR, SKIP_NO_MNIST } from './helpers';

function fakeDataset(n: number): ImageDataset {
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10;
    images.fill(i % 256, i * 784, (i + 1) * 784);
    images[i * 784] = 255;
  }
  return { images, labels, n, height: 28, width: 28 };
}

function isPermutation(p: ArrayLike<number>, n: number): boolean {
  if (p.length !== n) return false;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (p[i] >= n || seen[p[i]]) return false;
    seen[p[i]] = 1;
  }
  return true;
}

test('createRng: deterministic, in [0,1), seed-dependent', () => {
  const a = createRng(100);
  const b = createRng(100);
  const c = createRng(101);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(Array.from({ length: 1000 }, () => b()), xs);
  assert.notDeepEqual(Array.from({ length: 1000 }, () => c()), xs);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

test('split of 60000 real training images: 54000/6000, reproducible with seed 100', { skip: SKIP_NO_MNIST }, async () => {
  const all = await loadMnist(MNIST_DIR, { split: 'train' });
  const s1 = trainValidationSplit(all, { validationFraction: 0.1, seed: 100 });
  assert.equal(s1.train.n, 54000);
  assert.equal(s1.validation.n, 6000);
  assert.equal(s1.train.images.length, 54000 * 784);
  // disjoint and covering
  const seen = new Uint8Array(60000);
  for (const i of s1.trainIndices) seen[i]++;
  for (const i of s1.validationIndices) seen[i]++;
  assert.ok(seen.every((v) => v === 1));
  // data really comes from those indices
  const v0 = s1.validationIndices[0];
  assert.deepEqual(s1.validation.images.subarray(0, 784), all.images.subarray(v0 * 784, (v0 + 1) * 784));
  assert.equal(s1.validation.labels[5999], all.labels[s1.validationIndices[5999]]);
  // reproducible: same seed -> identical; defaults are fraction 0.1 / seed 100
  const s2 = trainValidationSplit(all);
  assert.deepEqual(s2.validationIndices, s1.validationIndices);
  assert.deepEqual(s2.validation.labels, s1.validation.labels);
  // pinned values: changing the PRNG or the split algorithm changes every published split/run
  assert.deepEqual(Array.from(s1.validationIndices.subarray(0, 8)), [15, 17, 18, 37, 51, 63, 71, 74]);
  const s3 = trainValidationSplit(all, { seed: 101 });
  assert.notDeepEqual(s3.validationIndices, s1.validationIndices);
});

test('limit takes the first N examples before the split', () => {
  const ds = fakeDataset(5000);
  const s = trainValidationSplit(ds, { limit: 1000, seed: 100 });
  assert.equal(s.train.n, 900);
  assert.equal(s.validation.n, 100);
  assert.ok([...s.trainIndices, ...s.validationIndices].every((i) => i < 1000));
  assert.equal(trainValidationSplit(ds, { limit: 99999 }).train.n, 4500);
  assert.throws(() => trainValidationSplit(ds, { limit: 0 }), /limit/);
  assert.throws(() => trainValidationSplit(ds, { validationFraction: 1 }), /validationFraction/);
  const none = trainValidationSplit(ds, { validationFraction: 0 });
  assert.equal(none.validation.n, 0);
  assert.equal(none.train.n, 5000);
});

test('epoch permutations: same (seed, epoch) identical, different epochs differ', () => {
  const n = 54000;
  const e0 = epochPermutation(n, 100, 0);
  const e1 = epochPermutation(n, 100, 1);
  assert.ok(isPermutation(e0, n));
  assert.ok(isPermutation(e1, n));
  assert.deepEqual(epochPermutation(n, 100, 0), e0);
  assert.deepEqual(epochPermutation(n, 100, 1), e1);
  assert.notDeepEqual(e0, e1);
  assert.notDeepEqual(epochPermutation(n, 101, 0), e0);
  // pinned: a resumed run (possibly with a newer tbkit) must recompute the same order
  assert.deepEqual(Array.from(e0.subarray(0, 6)), [51876, 24948, 1348, 46894, 14931, 38119]);
  assert.deepEqual(Array.from(e1.subarray(0, 6)), [28876, 46775, 4865, 20346, 52, 53176]);
  let same = 0;
  for (let i = 0; i < n; i++) if (e0[i] === e1[i]) same++;
  assert.ok(same < 20, `${same} positions coincide`);
  // a resumed run at epoch 3 gets the same batches without replaying epochs 0-2
  const fresh = shuffledBatches(n, 100, 100, 3);
  const again = shuffledBatches({ n }, 100, 100, 3);
  assert.deepEqual(fresh.map((b) => Array.from(b)), again.map((b) => Array.from(b)));
});

test('shuffledBatches: 540 full batches of 100; partial last batch kept', () => {
  const b = shuffledBatches(54000, 100, 100, 0);
  assert.equal(b.length, 540);
  assert.ok(b.every((x) => x.length === 100));
  const odd = shuffledBatches(1005, 100, 7, 2);
  assert.equal(odd.length, 11);
  assert.equal(odd[10].length, 5);
  const flat = odd.flatMap((x) => Array.from(x));
  assert.ok(isPermutation(flat, 1005));
  assert.deepEqual(shuffledBatches(0, 100, 1, 0), []);
  assert.throws(() => shuffledBatches(10, 0, 1, 0), /batch size/);
});

test('gatherBatch: raw 0-255 floats or /255, one-hot labels', () => {
  const ds = fakeDataset(30);
  const raw = gatherBatch(ds, [3, 17, 29], { normalize: false });
  assert.equal(raw.size, 3);
  assert.equal(raw.xs.length, 3 * 784);
  assert.equal(raw.ys.length, 3 * 10);
  assert.equal(raw.xs[0], 255);
  assert.equal(raw.xs[1], 3);
  assert.equal(raw.xs[784 + 1], 17);
  assert.equal(raw.xs[2 * 784 + 5], 29);
  assert.deepEqual(Array.from(raw.ys.subarray(0, 10)), [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(raw.ys.subarray(10, 20)), [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual(Array.from(raw.ys.subarray(20, 30)), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const norm = gatherBatch(ds, Uint32Array.from([3]), { normalize: true });
  assert.equal(norm.xs[0], 1);
  assert.ok(Math.abs(norm.xs[1] - 3 / 255) < 1e-7);
  assert.throws(() => gatherBatch(ds, [30], { normalize: false }), /out of range/);
});

test('loadDataset(mnist) ties it together', { skip: SKIP_NO_MNIST }, async () => {
  const d = await loadDataset({ dataset: 'mnist', dataDir: MNIST_DIR, download: false, limit: 2000 });
  assert.equal(d.train.n, 1800);
  assert.equal(d.validation.n, 200);
  assert.equal(d.test?.n, 10000);
  assert.match(d.source, /MNIST/);
  assert.ok(d.source.includes(MNIST_DIR));
});
