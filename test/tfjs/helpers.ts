import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tfjs/backend';
import { createRng as rng } from '../../src/util/random';

export type TF = typeof tf;

export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r();
  return a;
}

export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

let wasmReady = false;

/** Runs `fn` on the given backend and returns the downloaded result(s). */
export async function onBackend(
  name: 'wasm' | 'cpu',
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  if (name === 'wasm' && !wasmReady) {
    await selectBackend('wasm');
    wasmReady = true;
  } else {
    await tf.setBackend(name);
    if (name === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  }
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const data = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  return data;
}

/**
 * Elementwise closeness: |a-b| <= atol + rtol*|b|, where atol is relative to
 * the largest reference magnitude (float32 sums in a different order differ
 * by a few ulps of the running sum, not of each element).
 */
export function assertClose(actual: Float32Array, expected: Float32Array, rtol: number, what: string): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  }
  let maxRef = 0;
  for (const v of expected) maxRef = Math.max(maxRef, Math.abs(v));
  const atol = rtol * Math.max(maxRef, 1e-6);
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= atol + rtol * Math.abs(expected[i]))) {
      throw new Error(`${what}: element ${i}: got ${actual[i]}, expected ${expected[i]} (|diff| ${d}, maxRef ${maxRef})`);
    }
  }
}

/** ||a-b|| / ||b||, for whole-model gradients. */
export function relError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

/**
 * A tiny MNIST-like batch: raw 0..255 pixels, mostly 0, with a bright block
 * whose position encodes the label (plus sparse noise), and one-hot labels.
 * Uniform-noise images would saturate the softmax at these pixel scales.
 */
export function syntheticBatch(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const r = rng(seed);
  const x = new Float32Array(n * 28 * 28);
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const label = Math.floor(r() * 10);
    y[i * 10 + label] = 1;
    const top = 2 + 4 * Math.floor(label / 5) * 2 + Math.floor(r() * 3);
    const left = 2 + 4 * (label % 5) + Math.floor(r() * 3);
    for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) x[i * 784 + (top + a) * 28 + left + b] = 150 + 105 * r();
    for (let p = 0; p < 784; p++) if (r() < 0.05) x[i * 784 + p] = 255 * r();
  }
  return { x, y };
}

export { rng };
