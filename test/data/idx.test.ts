import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import type { ImageDataset } from '../../src/experiments/bn/data';
import { readDataFile } from '../../src/experiments/bn/data/dataset';
import { assertSameCount, maybeGunzip, parseIdxImages, parseIdxLabels, type IdxImages, type IdxLabels } from '../../src/experiments/bn/data/idx';
import { tempDir, rejectsWith } from './helpers';

/** An uncompressed IDX images file (magic 2051). */
function encodeIdxImages(pixels: Uint8Array, n: number, rows: number, cols: number): Buffer {
  const out = Buffer.alloc(16 + pixels.length);
  out.writeUInt32BE(2051, 0);
  out.writeUInt32BE(n, 4);
  out.writeUInt32BE(rows, 8);
  out.writeUInt32BE(cols, 12);
  out.set(pixels, 16);
  return out;
}

/** An uncompressed IDX labels file (magic 2049). */
function encodeIdxLabels(labels: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + labels.length);
  out.writeUInt32BE(2049, 0);
  out.writeUInt32BE(labels.length, 4);
  out.set(labels, 8);
  return out;
}

/** A file read as the MNIST loader reads it: bytes, gunzipped when gzip, parsed. */
async function readIdxImages(file: string): Promise<IdxImages> {
  return parseIdxImages(await maybeGunzip(await readDataFile(file), file), file);
}

async function readIdxLabels(file: string, numClasses?: number): Promise<IdxLabels> {
  return parseIdxLabels(await maybeGunzip(await readDataFile(file), file), file, numClasses);
}

async function readIdxPair(imagesFile: string, labelsFile: string): Promise<ImageDataset> {
  const [images, labels] = await Promise.all([readIdxImages(imagesFile), readIdxLabels(labelsFile, 10)]);
  assertSameCount(images, labels, imagesFile, labelsFile);
  return { images: images.pixels, labels: labels.labels, n: images.n, height: images.rows, width: images.cols };
}

const dir = tempDir();

function tinyImages(n: number): Uint8Array {
  const px = new Uint8Array(n * 28 * 28);
  for (let i = 0; i < px.length; i++) px[i] = (i * 7) & 0xff;
  return px;
}

function write(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}


test('parses gzip and already-gunzipped IDX files to the same data', async () => {
  const px = tinyImages(3);
  const labels = Uint8Array.from([3, 1, 4]);
  const raw = encodeIdxImages(px, 3, 28, 28);
  const gzImages = write('a-images.gz', zlib.gzipSync(raw));
  const plainImages = write('a-images', raw);
  const gzLabels = write('a-labels.gz', zlib.gzipSync(encodeIdxLabels(labels)));
  const plainLabels = write('a-labels', encodeIdxLabels(labels));
  for (const [im, lb] of [[gzImages, gzLabels], [plainImages, plainLabels], [gzImages, plainLabels]]) {
    const ds = await readIdxPair(im, lb);
    assert.equal(ds.n, 3);
    assert.equal(ds.height, 28);
    assert.equal(ds.width, 28);
    assert.deepEqual(ds.images, px);
    assert.deepEqual(ds.labels, labels);
    // results own their buffers (not views into the file buffer)
    assert.equal(ds.images.byteOffset, 0);
    assert.equal(ds.images.buffer.byteLength, 3 * 784);
    assert.equal(ds.labels.buffer.byteLength, 3);
  }
});

test('wrong magic names the file and the expected magic', async () => {
  const labelsAsImages = write('swapped-images.gz', zlib.gzipSync(encodeIdxLabels(Uint8Array.from([1, 2]))));
  const e = await rejectsWith(readIdxImages(labelsAsImages), /swapped-images\.gz/, /wrong IDX magic number 2049/, /expected 2051/, /labels file/);
  assert.equal(e.file, labelsAsImages);
  const imagesAsLabels = write('swapped-labels', encodeIdxImages(tinyImages(1), 1, 28, 28));
  await rejectsWith(readIdxLabels(imagesAsLabels), /swapped-labels/, /wrong IDX magic number 2051/, /expected 2049/);
  const junk = write('junk-images', Buffer.from('<!DOCTYPE html><html>'));
  await rejectsWith(readIdxImages(junk), /junk-images/, /wrong IDX magic/, /<!DOCTYP/, /expected 2051/);
});

test('truncated file: size mismatch with expected vs actual bytes', async () => {
  const raw = encodeIdxImages(tinyImages(4), 4, 28, 28);
  const cut = write('cut-images.gz', zlib.gzipSync(raw.subarray(0, raw.length - 100)));
  await rejectsWith(readIdxImages(cut), /cut-images\.gz/, /size mismatch/, /4 images of 28x28/, /3152 bytes/, /3052 bytes/, /truncated/);
  const long = write('long-labels', Buffer.concat([encodeIdxLabels(Uint8Array.from([1, 2])), Buffer.from([0])]));
  await rejectsWith(readIdxLabels(long), /long-labels/, /size mismatch/, /10 bytes/, /11 bytes/, /trailing/);
  const tiny = write('tiny-labels', Buffer.from([0, 0]));
  await rejectsWith(readIdxLabels(tiny), /tiny-labels/, /too short/);
});

test('image/label count mismatch names both files', async () => {
  const im = write('five-images', encodeIdxImages(tinyImages(5), 5, 28, 28));
  const lb = write('four-labels', encodeIdxLabels(Uint8Array.from([0, 1, 2, 3])));
  await rejectsWith(readIdxPair(im, lb), /count mismatch/, /five-images has 5 images/, /four-labels has 4 labels/);
});

test('not gzip / corrupt gzip', async () => {
  const notGz = write('plain-text.gz', Buffer.from('hello world, not gzip'));
  await rejectsWith(readIdxImages(notGz), /plain-text\.gz/, /not a gzip file/);
  const gz = zlib.gzipSync(encodeIdxImages(tinyImages(20), 20, 28, 28));
  const truncatedGz = write('truncated.gz', gz.subarray(0, Math.floor(gz.length / 2)));
  await rejectsWith(readIdxImages(truncatedGz), /truncated\.gz/, /corrupt gzip/);
  const flipped = Buffer.from(gz);
  flipped[gz.length - 6] ^= 0xff; // inside the CRC32 trailer
  const badCrc = write('badcrc.gz', flipped);
  await rejectsWith(readIdxImages(badCrc), /badcrc\.gz/, /corrupt gzip/);
});

test('labels outside 0..9 and missing files are errors naming the file', async () => {
  const lb = write('big-labels', encodeIdxLabels(Uint8Array.from([0, 12])));
  await rejectsWith(readIdxLabels(lb, 10), /big-labels/, /label #1 is 12/);
  await rejectsWith(readIdxImages(path.join(dir, 'nope.gz')), /nope\.gz: file not found/);
});
