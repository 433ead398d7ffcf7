import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  MNIST_FILES,
  defaultMnistCacheDir,
  loadMnist,
  locateMnist,
} from '../../src/experiments/bn/data';
import { MNIST_DIR, SKIP_NO_MNIST, SKIP_NO_MNIST_GZ, TEST_CLASS_COUNTS, TRAIN_CLASS_COUNTS, classCounts, linkInto, mnistFile, tempDir, rejectsWith } from './helpers';

const skip = SKIP_NO_MNIST;
const skipGz = SKIP_NO_MNIST_GZ;


/** A temp dir holding links to the real files, except `replace` (name -> bytes or null to omit). */
function mnistCopy(replace: Record<string, Buffer | null> = {}): string {
  const dir = tempDir('tbkit-mnist-');
  for (const spec of MNIST_FILES) {
    if (spec.name in replace) {
      const bytes = replace[spec.name];
      if (bytes) fs.writeFileSync(path.join(dir, spec.name), bytes);
    } else {
      linkInto(dir, mnistFile(spec));
    }
  }
  return dir;
}

test('loads all 60000 training images', { skip }, async (t) => {
  const dir = await locateMnist({ dataDir: MNIST_DIR, download: false, env: {} });
  assert.equal(dir, MNIST_DIR);
  const t0 = performance.now();
  const train = await loadMnist(dir, { split: 'train' });
  const ms = performance.now() - t0;
  t.diagnostic(`loadMnist(train): ${ms.toFixed(0)} ms for ${train.n} images (read + md5 + gunzip + parse)`);
  assert.equal(train.n, 60000);
  assert.equal(train.height, 28);
  assert.equal(train.width, 28);
  assert.equal(train.images.length, 60000 * 784);
  assert.equal(train.labels.length, 60000);
  assert.deepEqual(classCounts(train), TRAIN_CLASS_COUNTS);
  assert.deepEqual(Array.from(train.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  // The famous row 5 of the first training image (a "5").
  assert.deepEqual(Array.from(train.images.subarray(5 * 28 + 12, 5 * 28 + 24)), [3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127]);
  assert.equal(train.images[0], 0);
  let sum = 0;
  for (let i = 0; i < 784; i++) sum += train.images[i];
  assert.equal(sum, 27525);
});

test('loads the 10000 test images', { skip }, async () => {
  const test = await loadMnist(MNIST_DIR, { split: 'test' });
  assert.equal(test.n, 10000);
  assert.deepEqual(classCounts(test), TEST_CLASS_COUNTS);
  assert.deepEqual(Array.from(test.labels.subarray(0, 5)), [7, 2, 1, 0, 4]);
});

test('MNIST_DIR is used when no dataDir; dataDir wins over MNIST_DIR', { skip }, async () => {
  const empty = tempDir();
  assert.equal(await locateMnist({ env: { MNIST_DIR }, download: false }), MNIST_DIR);
  assert.equal(await locateMnist({ dataDir: MNIST_DIR, env: { MNIST_DIR: empty }, download: false }), MNIST_DIR);
  // an MNIST_DIR without the files is an error, not a fall-through
  await rejectsWith(locateMnist({ env: { MNIST_DIR: empty }, cacheDir: MNIST_DIR }), /from MNIST_DIR/, /missing 4 of the 4 files/);
});

test('the user cache is used when no explicit dir is given', { skip }, async () => {
  const xdg = tempDir();
  const cache = path.join(xdg, 'tbkit', 'mnist');
  fs.mkdirSync(cache, { recursive: true });
  for (const spec of MNIST_FILES) linkInto(cache, mnistFile(spec));
  assert.equal(defaultMnistCacheDir({ XDG_CACHE_HOME: xdg }), cache);
  assert.equal(defaultMnistCacheDir({ HOME: '/home/someone' }), '/home/someone/.cache/tbkit/mnist');
  const logs: string[] = [];
  assert.equal(await locateMnist({ env: { XDG_CACHE_HOME: xdg }, download: false, log: (m) => logs.push(m) }), cache);
  assert.ok(logs.some((m) => m.includes('cache')));
});

test('nothing found offline: one error listing every place looked and the fixes', async (t) => {
  const xdg = tempDir();
  const e = await rejectsWith(
    locateMnist({ env: { XDG_CACHE_HOME: xdg }, download: false, packageDir: null }),
    /MNIST data not found/,
    /--data-dir: not given/,
    /MNIST_DIR: not set/,
    new RegExp(`cache directory ${path.join(xdg, 'tbkit', 'mnist').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no MNIST files`),
    /download: disabled/,
    /--data-dir DIR/,
    /MNIST_DIR=DIR/,
    /put the files in/,
    /--dataset synthetic/,
  );
  t.diagnostic(`example error:\n${e.message}`);
});

test('explicit dataDir lacking files names the missing files and does not download', { skip }, async () => {
  const partial = mnistCopy({ 'train-images-idx3-ubyte.gz': null, 't10k-labels-idx1-ubyte.gz': null });
  await rejectsWith(
    locateMnist({ dataDir: partial, env: {}, mirrors: ['http://127.0.0.1:9/never-contacted/'] }),
    /--data-dir/,
    /missing 2 of the 4 files/,
    /train-images-idx3-ubyte\.gz/,
    /t10k-labels-idx1-ubyte\.gz/,
  );
  await rejectsWith(locateMnist({ dataDir: path.join(partial, 'nonexistent'), env: {} }), /does not exist/);
});

test('bad MD5 in a found file is a clear error', { skip: skipGz }, async () => {
  const labels = fs.readFileSync(path.join(MNIST_DIR, 't10k-labels-idx1-ubyte.gz'));
  const bad = Buffer.from(labels);
  bad[2000] ^= 0x55;
  const dir = mnistCopy({ 't10k-labels-idx1-ubyte.gz': bad });
  const expectedMd5 = MNIST_FILES.find((f) => f.key === 'testLabels')!.md5;
  const e = await rejectsWith(
    locateMnist({ dataDir: dir, env: {} }),
    /t10k-labels-idx1-ubyte\.gz has MD5 [0-9a-f]{32}/,
    new RegExp(`expected ${expectedMd5}`),
    /the download is corrupt, delete it/,
  );
  assert.match(e.file!, /t10k-labels-idx1-ubyte\.gz$/);
  // loadMnist verifies too
  await rejectsWith(loadMnist(dir, { split: 'test' }), /has MD5/);
  // truncated canonical file
  const dir2 = mnistCopy({ 't10k-labels-idx1-ubyte.gz': labels.subarray(0, 3000) });
  await rejectsWith(locateMnist({ dataDir: dir2, env: {} }), /has MD5/, /corrupt/);
});

test('gunzipped files and re-compressed copies with canonical content are accepted', { skip: skipGz }, async () => {
  const dir = tempDir();
  for (const spec of MNIST_FILES) {
    const gz = fs.readFileSync(path.join(MNIST_DIR, spec.name));
    if (spec.kind === 'labels') {
      fs.writeFileSync(path.join(dir, spec.rawName), zlib.gunzipSync(gz)); // already gunzipped
    } else if (spec.split === 'test') {
      // different gzip stream (level 1), same content: MD5 of the .gz differs but the content is canonical
      fs.writeFileSync(path.join(dir, spec.name), zlib.gzipSync(zlib.gunzipSync(gz), { level: 1 }));
    } else {
      linkInto(dir, path.join(MNIST_DIR, spec.name));
    }
  }
  assert.equal(await locateMnist({ dataDir: dir, env: {} }), dir);
  const test = await loadMnist(dir, { split: 'test' });
  assert.deepEqual(classCounts(test), TEST_CLASS_COUNTS);
  // a gunzipped file with a wrong content MD5
  const raw = zlib.gunzipSync(fs.readFileSync(path.join(MNIST_DIR, 't10k-labels-idx1-ubyte.gz')));
  raw[100] = (raw[100] + 1) % 10;
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), raw);
  await rejectsWith(loadMnist(dir, { split: 'test' }), /t10k-labels-idx1-ubyte has MD5/, /uncompressed/);
});
