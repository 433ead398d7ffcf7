/** Shared helpers for the data-layer tests (not a test file itself). */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError } from '../../src/experiments/bn/data';

/** Real MNIST: $MNIST_DIR, else <repo>/../shared/data/mnist. */
export const MNIST_DIR = process.env.MNIST_DIR
  ? path.resolve(process.env.MNIST_DIR)
  : path.resolve(__dirname, '../../../shared/data/mnist');

export const HAVE_MNIST = fs.existsSync(path.join(MNIST_DIR, 'train-images-idx3-ubyte.gz'));

/** Value for node:test's `skip` option: false, or a message saying why. */
export const SKIP_NO_MNIST: string | false = HAVE_MNIST
  ? false
  : `real MNIST not found at ${MNIST_DIR} (set MNIST_DIR to a directory with the four .gz files)`;

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
