/**
 * Images and histograms through SummaryWriter: PNG encoding (pngjs) and bucketing included, and
 * the flush. Sizes are arguments (the test runs them tiny); nothing asserts on speed.
 */
import * as fs from 'node:fs';
import { SummaryWriter } from '../src/summary/summary-writer';
import { MB, median, normals, rng, tempDir, timeRepeats } from './util';

export interface ImageBenchRow {
  name: string;
  width: number;
  height: number;
  channels: 1 | 3;
  /** Images per timed repeat. */
  images: number;
  repeats: number;
  ms: number[];
  msPerImage: number;
  /** Raw pixel bytes in per second (PNG encoding included). */
  pixelMBPerSec: number;
  /** Event-file bytes per image (PNG + event + framing). */
  bytesPerImage: number;
  imagesPerSec: number;
}

/**
 * Photo-like content: a smooth gradient plus 4 bits of noise (pure noise would not compress and
 * would make PNG look worse than it is on real images; a flat image would flatter it).
 */
function photoLike(w: number, h: number, c: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        const base = ((x * (k + 1) + y * (3 - k)) * 255) / (w + h) / 2;
        out[(y * w + x) * c + k] = Math.min(255, Math.max(0, Math.round(base + r() * 16)));
      }
    }
  }
  return out;
}

/** MNIST-like: mostly zeros with a bright blob (what the BN experiment's inputs look like). */
function digitLike(seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(28 * 28);
  const cx = 10 + r() * 8, cy = 10 + r() * 8;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d > 4 && d < 8) out[y * 28 + x] = Math.round(200 + r() * 55);
    }
  }
  return out;
}

export async function benchImages(opts: { rgbImages: number; grayImages: number; repeats: number; warmup?: number }): Promise<ImageBenchRow[]> {
  const warmup = opts.warmup ?? 1;
  const cases: Array<{ name: string; width: number; height: number; channels: 1 | 3; images: number; data: Uint8Array[] }> = [
    { name: '256x256 RGB uint8', width: 256, height: 256, channels: 3, images: opts.rgbImages, data: [0, 1, 2, 3].map((s) => photoLike(256, 256, 3, s)) },
    { name: '28x28 gray uint8', width: 28, height: 28, channels: 1, images: opts.grayImages, data: Array.from({ length: 16 }, (_, s) => digitLike(s)) },
  ];
  const rows: ImageBenchRow[] = [];
  for (const c of cases) {
    const { dir, cleanup } = tempDir('images');
    try {
      const w = new SummaryWriter(dir);
      let step = 0;
      const ms = await timeRepeats(warmup, opts.repeats, async () => {
        for (let i = 0; i < c.images; i++) {
          w.image('img', { data: c.data[i % c.data.length], height: c.height, width: c.width, channels: c.channels }, step++);
        }
        await w.flush();
      });
      await w.close();
      const size = fs.statSync(w.path).size;
      const bytesPerImage = size / (c.images * (opts.repeats + warmup));
      const sec = median(ms) / 1000;
      const pixelBytes = c.width * c.height * c.channels * c.images;
      rows.push({
        name: c.name,
        width: c.width,
        height: c.height,
        channels: c.channels,
        images: c.images,
        repeats: opts.repeats,
        ms,
        msPerImage: (sec * 1000) / c.images,
        pixelMBPerSec: pixelBytes / MB / sec,
        bytesPerImage,
        imagesPerSec: c.images / sec,
      });
    } finally {
      cleanup();
    }
  }
  return rows;
}

// -------------------------------------------------------------------------------- histograms

export interface HistogramBenchResult {
  values: number;
  bins: number;
  repeats: number;
  ms: number[];
  msPerHistogram: number;
  valuesPerSec: number;
}

/** `w.histogram(tag, Float32Array(values), step)` (30 buckets, TensorBoard's), + flush, per repeat. */
export async function benchHistograms(opts: { values: number; repeats: number; warmup?: number }): Promise<HistogramBenchResult> {
  const data = normals(opts.values, 7);
  const { dir, cleanup } = tempDir('histo');
  try {
    const w = new SummaryWriter(dir);
    let step = 0;
    const ms = await timeRepeats(opts.warmup ?? 1, opts.repeats, async () => {
      w.histogram('weights', data, step++);
      await w.flush();
    });
    await w.close();
    const m = median(ms);
    return { values: opts.values, bins: 30, repeats: opts.repeats, ms, msPerHistogram: m, valuesPerSec: opts.values / (m / 1000) };
  } finally {
    cleanup();
  }
}

