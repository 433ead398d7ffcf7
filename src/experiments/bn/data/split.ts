/**
 * Seeded randomness, train/validation split, per-epoch shuffling and batch
 * assembly. Everything here is deterministic given its seed(s) and works on
 * plain typed arrays (no tfjs).
 */
import { DataError, ImageDataset, NUM_CLASSES } from './idx';
import { createRng } from '../../../util';

export { createRng };

/**
 * Derives an independent 32-bit seed from a base seed and integer parts
 * (murmur3 finaliser mixing), e.g. deriveSeed(seed, epoch).
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  for (const p of parts) {
    h = Math.imul(h ^ (Math.trunc(p) >>> 0), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
    h = (h + 0x6d2b79f5) >>> 0;
  }
  return h >>> 0;
}

/** Uniform integer in [0, n). */
export function randomInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher–Yates permutation of 0..n-1 driven by `rng`. */
export function permutation(n: number, rng: () => number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Tag mixed into the epoch-shuffle seed so it is a different stream from the split. */
const EPOCH_STREAM = 0xe90c;

/**
 * The example order for one epoch: a permutation of 0..n-1 that depends only
 * on (n, seed, epoch). A resumed run recomputes exactly the same order for any
 * epoch without replaying earlier ones.
 */
export function epochPermutation(n: number, seed: number, epoch: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`epochPermutation: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epochPermutation: epoch must be a non-negative integer, got ${epoch}`);
  return permutation(n, createRng(deriveSeed(seed, EPOCH_STREAM, epoch)));
}

/** Number of batches per epoch with keep-if-nonempty partial last batch. */
export function batchCount(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  }
}

function chunk(order: Uint32Array, batchSize: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let s = 0; s < order.length; s += batchSize) out.push(order.subarray(s, Math.min(s + batchSize, order.length)));
  return out;
}

/**
 * Index batches for one epoch, in the order of {@link epochPermutation}
 * (reproducible from (seed, epoch)). The last batch is KEPT if it is partial
 * (non-empty), so every example is seen exactly once per epoch; with n=54000
 * and batch 100 all batches are full. Batches are views into one permutation.
 */
export function shuffledBatches(ds: { n: number } | number, batchSize: number, seed: number, epoch: number): Uint32Array[] {
  checkBatchSize(batchSize);
  const n = typeof ds === 'number' ? ds : ds.n;
  return chunk(epochPermutation(n, seed, epoch), batchSize);
}

/** Index batches in natural order 0..n-1 (for evaluation); partial last batch kept. */
export function sequentialBatches(ds: { n: number } | number, batchSize: number): Uint32Array[] {
  checkBatchSize(batchSize);
  const n = typeof ds === 'number' ? ds : ds.n;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return chunk(order, batchSize);
}

export interface Batch {
  /** size × height × width floats: raw 0–255 values, or /255 when normalize is set. */
  xs: Float32Array;
  /** size × 10 one-hot labels. */
  ys: Float32Array;
  /** Number of examples in this batch. */
  size: number;
}

/**
 * Copies the examples at `indices` into float arrays ready to become tensors
 * (xs shape [size, height, width, 1] / [size, height*width], ys [size, 10]).
 * Pixel values stay raw 0–255 unless `normalize` is true (then /255).
 */
export function gatherBatch(
  ds: ImageDataset,
  indices: ArrayLike<number>,
  options: { normalize: boolean; numClasses?: number },
): Batch {
  const numClasses = options.numClasses ?? NUM_CLASSES;
  const pixels = ds.height * ds.width;
  const size = indices.length;
  const xs = new Float32Array(size * pixels);
  const ys = new Float32Array(size * numClasses);
  const scale = options.normalize ? 1 / 255 : 1;
  for (let b = 0; b < size; b++) {
    const idx = indices[b];
    if (!(idx >= 0 && idx < ds.n) || !Number.isInteger(idx)) {
      throw new RangeError(`gatherBatch: index ${idx} out of range 0..${ds.n - 1}`);
    }
    const src = idx * pixels;
    const dst = b * pixels;
    if (scale === 1) {
      for (let k = 0; k < pixels; k++) xs[dst + k] = ds.images[src + k];
    } else {
      for (let k = 0; k < pixels; k++) xs[dst + k] = ds.images[src + k] * scale;
    }
    const label = ds.labels[idx];
    if (label >= numClasses) throw new RangeError(`gatherBatch: label ${label} of example ${idx} is not in 0..${numClasses - 1}`);
    ys[b * numClasses + label] = 1;
  }
  return { xs, ys, size };
}

/** A new dataset holding copies of the examples at `indices`, in that order. */
export function subset(ds: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const pixels = ds.height * ds.width;
  const n = indices.length;
  const images = new Uint8Array(n * pixels);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const idx = indices[i];
    if (!(idx >= 0 && idx < ds.n)) throw new RangeError(`subset: index ${idx} out of range 0..${ds.n - 1}`);
    images.set(ds.images.subarray(idx * pixels, (idx + 1) * pixels), i * pixels);
    labels[i] = ds.labels[idx];
  }
  return { images, labels, n, height: ds.height, width: ds.width };
}

/** The first `n` examples (copied). */
export function takeFirst(ds: ImageDataset, n: number): ImageDataset {
  const m = Math.min(n, ds.n);
  const pixels = ds.height * ds.width;
  return {
    images: ds.images.slice(0, m * pixels),
    labels: ds.labels.slice(0, m),
    n: m,
    height: ds.height,
    width: ds.width,
  };
}

/** Per-class example counts (length numClasses). */
export function classCounts(ds: { labels: Uint8Array; n: number }, numClasses = NUM_CLASSES): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.labels[i]]++;
  return counts;
}

export interface SplitOptions {
  /** Fraction of the (limited) training set held out for validation; default 0.1. */
  validationFraction?: number;
  /** Seed of the split permutation; default 100. */
  seed?: number;
  /**
   * Use only the FIRST `limit` examples of the training set (in file order),
   * BEFORE splitting: limit 1000 gives 900 train + 100 validation examples.
   */
  limit?: number;
}

export interface SplitResult {
  train: ImageDataset;
  validation: ImageDataset;
  /** Indices into the input dataset, ascending. */
  trainIndices: Uint32Array;
  /** Indices into the input dataset, ascending. */
  validationIndices: Uint32Array;
}

/**
 * Seeded random train/validation split.
 *
 * - `limit` (optional): only the first `limit` examples of `ds` are used, and
 *   the split is applied to those (so the validation set shrinks too).
 * - The validation set has round(n × validationFraction) examples
 *   (60000 → 54000 train / 6000 validation with the defaults), chosen by a
 *   Fisher–Yates permutation of createRng(seed); both parts keep the original
 *   file order (indices ascending) — training order comes from
 *   {@link shuffledBatches} anyway.
 * - The same (ds, fraction, seed, limit) always gives the same split.
 */
export function trainValidationSplit(ds: ImageDataset, options: SplitOptions = {}): SplitResult {
  const fraction = options.validationFraction ?? 0.1;
  const seed = options.seed ?? 100;
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`validationFraction must be in [0, 1), got ${fraction}`);
  }
  let n = ds.n;
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`limit must be a positive integer, got ${options.limit}`);
    }
    n = Math.min(n, options.limit);
  }
  const nVal = Math.round(n * fraction);
  if (n > 0 && nVal >= n) {
    throw new DataError(`validation split of ${fraction} leaves no training examples out of ${n}`);
  }
  const perm = permutation(n, createRng(seed));
  const validationIndices = perm.slice(0, nVal).sort();
  const trainIndices = perm.slice(nVal).sort();
  return {
    train: subset(ds, trainIndices),
    validation: subset(ds, validationIndices),
    trainIndices,
    validationIndices,
  };
}
