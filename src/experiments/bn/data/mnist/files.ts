/**
 * The four canonical MNIST files (names, checksums, sizes) and which of them a directory holds.
 * Each may be present as the canonical gzip file (`train-images-idx3-ubyte.gz`) or already
 * gunzipped (`train-images-idx3-ubyte`).
 */
import { promises as fsp } from 'fs';
import * as path from 'path';

export type MnistSplit = 'train' | 'test';
export type MnistFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface MnistFileSpec {
  key: MnistFileKey;
  split: MnistSplit;
  kind: 'images' | 'labels';
  /** Canonical gzip file name, e.g. train-images-idx3-ubyte.gz */
  name: string;
  /** Name of the gunzipped file, e.g. train-images-idx3-ubyte */
  rawName: string;
  /** MD5 of the canonical gzip file. */
  md5: string;
  /** MD5 of the decompressed content. */
  rawMd5: string;
  /** Size in bytes of the canonical gzip file. */
  bytes: number;
  /** Size in bytes of the decompressed content. */
  rawBytes: number;
  /** Number of examples. */
  count: number;
}

/** The four canonical MNIST files (checksums as listed in shared/data/mnist/SOURCE.txt). */
export const MNIST_FILES: readonly MnistFileSpec[] = [
  {
    key: 'trainImages', split: 'train', kind: 'images',
    name: 'train-images-idx3-ubyte.gz', rawName: 'train-images-idx3-ubyte',
    md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873', rawMd5: '6bbc9ace898e44ae57da46a324031adb',
    bytes: 9912422, rawBytes: 47040016, count: 60000,
  },
  {
    key: 'trainLabels', split: 'train', kind: 'labels',
    name: 'train-labels-idx1-ubyte.gz', rawName: 'train-labels-idx1-ubyte',
    md5: 'd53e105ee54ea40749a09fcbcd1e9432', rawMd5: 'a25bea736e30d166cdddb491f175f624',
    bytes: 28881, rawBytes: 60008, count: 60000,
  },
  {
    key: 'testImages', split: 'test', kind: 'images',
    name: 't10k-images-idx3-ubyte.gz', rawName: 't10k-images-idx3-ubyte',
    md5: '9fb629c4189551a2d022fa330f9573f3', rawMd5: '2646ac647ad5339dbf082846283269ea',
    bytes: 1648877, rawBytes: 7840016, count: 10000,
  },
  {
    key: 'testLabels', split: 'test', kind: 'labels',
    name: 't10k-labels-idx1-ubyte.gz', rawName: 't10k-labels-idx1-ubyte',
    md5: 'ec29112dd5afa0611ce80d1b7f02629c', rawMd5: '27ae3e4e09519cfbb04c329615203637',
    bytes: 4542, rawBytes: 10008, count: 10000,
  },
];

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isFile();
  } catch {
    return false;
  }
}

export interface MnistDirScan {
  /** Path of each file found (gzip name preferred over the gunzipped name). */
  found: Partial<Record<MnistFileKey, string>>;
  missing: MnistFileSpec[];
}

/** Which of the four files `dir` contains (as .gz or gunzipped). Does not verify. */
export async function scanMnistDir(dir: string): Promise<MnistDirScan> {
  const found: Partial<Record<MnistFileKey, string>> = {};
  const missing: MnistFileSpec[] = [];
  for (const spec of MNIST_FILES) {
    const gz = path.join(dir, spec.name);
    const raw = path.join(dir, spec.rawName);
    if (await isFile(gz)) found[spec.key] = gz;
    else if (await isFile(raw)) found[spec.key] = raw;
    else missing.push(spec);
  }
  return { found, missing };
}
