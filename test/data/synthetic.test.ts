import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SYNTHETIC_NOTICE, loadDataset, syntheticDigits } from '../../src/experiments/bn/data';
import { classCounts } from './helpers';

test('synthetic digits: MNIST shape, deterministic by seed', () => {
  const a = syntheticDigits(500, 42);
  const b = syntheticDigits(500, 42);
  const c = syntheticDigits(500, 43);
  assert.equal(a.n, 500);
  assert.equal(a.height, 28);
  assert.equal(a.width, 28);
  assert.equal(a.images.length, 500 * 784);
  assert.equal(a.labels.length, 500);
  assert.deepEqual(a.images, b.images);
  assert.deepEqual(a.labels, b.labels);
  assert.notDeepEqual(c.images, a.images);
});

test('synthetic digits: 10 balanced classes, digit-like pixel statistics', () => {
  const ds = syntheticDigits(2000, 1);
  assert.deepEqual(classCounts(ds), new Array(10).fill(200));
  assert.deepEqual(classCounts(syntheticDigits(1003, 5)), [101, 101, 101, 100, 100, 100, 100, 100, 100, 100]);
  let zeros = 0;
  let bright = 0;
  const perClassMean = new Array(10).fill(0);
  for (let i = 0; i < ds.n; i++) {
    let ink = 0;
    for (let k = 0; k < 784; k++) {
      const v = ds.images[i * 784 + k];
      if (v === 0) zeros++;
      if (v > 128) bright++;
      ink += v;
    }
    assert.ok(ink > 0, `image ${i} is blank`);
    perClassMean[ds.labels[i]] += ink / 784 / 200;
    // border stays mostly empty (digit drawn in the central box)
    let border = 0;
    for (let k = 0; k < 28; k++) border += ds.images[i * 784 + k] + ds.images[i * 784 + 27 * 28 + k];
    assert.ok(border < 28 * 255 * 0.2, `image ${i} touches the border heavily`);
  }
  const zeroFrac = zeros / (ds.n * 784);
  const brightFrac = bright / (ds.n * 784);
  assert.ok(zeroFrac > 0.6 && zeroFrac < 0.95, `background fraction ${zeroFrac}`); // MNIST: ~0.81
  assert.ok(brightFrac > 0.05 && brightFrac < 0.3, `bright fraction ${brightFrac}`); // MNIST: ~0.13
  // classes differ in mean ink (1 is thin, 8 and 0 are heavy)
  assert.ok(perClassMean[1] < perClassMean[8], JSON.stringify(perClassMean));
  assert.ok(SYNTHETIC_NOTICE.includes('SYNTHETIC') && SYNTHETIC_NOTICE.includes('NOT real MNIST'));
});

test('synthetic classes are separable: nearest class-mean classifier beats chance by far', () => {
  const train = syntheticDigits(3000, 11);
  const test = syntheticDigits(1000, 12);
  const means = Array.from({ length: 10 }, () => new Float64Array(784));
  const counts = classCounts(train);
  for (let i = 0; i < train.n; i++) {
    const m = means[train.labels[i]];
    for (let k = 0; k < 784; k++) m[k] += train.images[i * 784 + k] / counts[train.labels[i]];
  }
  let correct = 0;
  for (let i = 0; i < test.n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let c = 0; c < 10; c++) {
      let d = 0;
      for (let k = 0; k < 784; k++) {
        const e = test.images[i * 784 + k] - means[c][k];
        d += e * e;
      }
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    if (best === test.labels[i]) correct++;
  }
  // chance is 10%; nearest-mean on real MNIST is ~82%
  assert.ok(correct / test.n > 0.5, `nearest-mean accuracy ${correct / test.n}`);
});

test('loadDataset(synthetic) with a limit', async () => {
  const d = await loadDataset({ dataset: 'synthetic', limit: 600, seed: 3 });
  assert.equal(d.train.n, 540);
  assert.equal(d.validation.n, 60);
  assert.equal(d.test?.n, 100);
  assert.match(d.source, /synthetic/);
  const again = await loadDataset({ dataset: 'synthetic', limit: 600, seed: 3 });
  assert.deepEqual(again.train.images, d.train.images);
  assert.deepEqual(again.test?.labels, d.test?.labels);
});
