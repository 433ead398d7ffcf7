import type { DenseConvGeometry } from './conv-dense';
import type { SimdKernels } from './simd';
import { poolThreads } from './simd-threads';
import { free, heapF32, type TensorInfo, type WasmBackendLike } from './wasm-util';

/**
 * Conv2D gradients that skip dy's zeros (see ./simd-conv-sparse.ts), for NHWC float32 with Cin a
 * multiple of 4. They are taken only when dy is sparse enough to beat XNNPACK's dense path; the
 * callers (./conv2d-backprop-filter.ts, ./conv2d-backprop-input.ts) run XNNPACK otherwise. Behind
 * ReLU + 2x2 max pool dy is at most 25 % nonzero (one position per window, only where the ReLU was
 * open), a few percent in a network that learns, and 0 % once it has died, as the experiment's
 * no-BN run does. The bench's `-dense-conv-grads` rows time the dense path for comparison.
 */

/** Use the sparse path when at most this share of dy is nonzero, divided by XNNPACK's threads. */
export const SPARSE_MAX_DENSITY = 0.5;

/** The dense path's shapes, plus the strides and padding the sparse path also handles. */
export interface ConvGradGeometry extends DenseConvGeometry {
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Running counts for the bench (bench/training.ts reports the dy density its steps saw): gradient
 * calls whose dy was sampled, how many took the sparse path, and the sum of the sampled densities.
 */
export const sparseConvStats = { sampled: 0, sparse: 0, densitySum: 0 };

/** Share of nonzero dy values, from an evenly strided sample of at most 4096 (NaN counts). */
export function sampledDensity(dy: Float32Array): number {
  const n = dy.length;
  if (n === 0) return 0;
  const samples = Math.min(n, 4096);
  // An odd stride so the sample does not keep landing on the same channel.
  const stride = Math.max(1, Math.floor(n / samples)) | 1;
  let nz = 0;
  let count = 0;
  for (let i = 0; i < n && count < samples; i += stride, count++) if (dy[i] !== 0) nz++;
  return nz / count;
}

/**
 * Whether the sparse path applies to these shapes and this dy. Skipping zeros is exact only for
 * finite factors (0·Inf is NaN), so a non-finite value on the other side keeps the dense path.
 */
export function sparseApplies(g: ConvGradGeometry, backend: WasmBackendLike, dy: TensorInfo): boolean {
  if (g.inChannels % 4 !== 0 || g.outChannels % 4 !== 0 || dy.dtype !== 'float32') return false;
  const density = sampledDensity(heapF32(backend, dy));
  const sparse = density <= SPARSE_MAX_DENSITY / poolThreads(backend) && process.env.TBKIT_NO_SPARSE_CONV !== '1'; // env: for comparisons
  sparseConvStats.sampled++;
  sparseConvStats.densitySum += density;
  if (sparse) sparseConvStats.sparse++;
  return sparse;
}

/** Whether every value of `t` (float32) is finite, by one SIMD pass. */
export function allFinite(simd: SimdKernels, backend: WasmBackendLike, t: TensorInfo): boolean {
  const scratch = backend.makeOutput([4], 'float32');
  const v = heapF32(backend, t);
  const s = heapF32(backend, scratch);
  const whole = v.length & ~3;
  if (whole > 0) simd.nanProbe(v.byteOffset, whole * 4, s.byteOffset);
  else s.fill(0);
  let finite = s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0;
  for (let i = whole; i < v.length && finite; i++) finite = Number.isFinite(v[i]);
  free(backend, scratch);
  return finite;
}

/** The zero-padded image plane the filter windows cover; `direct` when x itself is that plane. */
function plane(g: ConvGradGeometry): { hp: number; wp: number; direct: boolean } {
  const hp = (g.outHeight - 1) * g.strideHeight + g.filterHeight;
  const wp = (g.outWidth - 1) * g.strideWidth + g.filterWidth;
  const direct = g.padTop === 0 && g.padLeft === 0 && hp <= g.inHeight && wp <= g.inWidth;
  return direct ? { hp: g.inHeight, wp: g.inWidth, direct } : { hp, wp, direct };
}

/** Copies image rows between an [N,inH,inW,C] tensor and its padded [N,hp,wp,C] plane (either way). */
function copyRows(g: ConvGradGeometry, hp: number, wp: number, img: Float32Array, pad: Float32Array, toPad: boolean): void {
  const c = g.inChannels;
  const cols = Math.min(g.inWidth, wp - g.padLeft);
  for (let b = 0; b < g.batchSize; b++) {
    for (let r = 0; r < g.inHeight; r++) {
      const pr = r + g.padTop;
      if (pr >= hp) break;
      const io = ((b * g.inHeight + r) * g.inWidth) * c;
      const po = ((b * hp + pr) * wp + g.padLeft) * c;
      if (toPad) pad.set(img.subarray(io, io + cols * c), po);
      else img.set(pad.subarray(po, po + cols * c), io);
    }
  }
}

/**
 * Copies a filter between tfjs's [fh, fw, Cin, Cout] layout and the kernels' [Cout, fh, fw, Cin]
 * (`toKernel`: the first into the second; else back). Small (Cout·fh·fw·Cin values): a JS loop.
 */
function swapFilterLayout(g: ConvGradGeometry, from: Float32Array, to: Float32Array, toKernel: boolean): void {
  const ci = g.inChannels;
  const co = g.outChannels;
  const taps = g.filterHeight * g.filterWidth;
  for (let c = 0; c < co; c++) {
    for (let k = 0; k < taps; k++) {
      const kernelAt = (c * taps + k) * ci;
      const tfjsAt = k * ci * co + c;
      if (toKernel) for (let i = 0; i < ci; i++) to[kernelAt + i] = from[tfjsAt + i * co];
      else for (let i = 0; i < ci; i++) to[tfjsAt + i * co] = from[kernelAt + i];
    }
  }
}

type SparseKernel = SimdKernels['convFilterGradSparse'];

/**
 * Runs `kernel` image by image: `image` is the image-side tensor's plane (x or dx, [N, hp, wp, C]),
 * `q` the [Cout, fh, fw, Cin] filter-side buffer, `dy` the gradient (see ./simd-conv-sparse.ts).
 */
function eachImage(kernel: SparseKernel, g: ConvGradGeometry, hp: number, wp: number, image: Float32Array, q: Float32Array, dy: Float32Array): void {
  const ci = g.inChannels;
  const rowBytes = wp * ci * 4;
  const segBytes = g.filterWidth * ci * 4;
  const imageBytes = hp * rowBytes;
  const dyImageBytes = g.outHeight * g.outWidth * g.outChannels * 4;
  for (let b = 0; b < g.batchSize; b++) {
    kernel(image.byteOffset + b * imageBytes, q.byteOffset, dy.byteOffset + b * dyImageBytes, g.outHeight, g.outWidth, g.outChannels,
      g.strideHeight * rowBytes, g.strideWidth * ci * 4, rowBytes, g.filterHeight, segBytes, g.filterHeight * segBytes);
  }
}

/** dW [fh, fw, Cin, Cout], or null when x is not all finite. */
export function convFilterGradSparse(simd: SimdKernels, backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, g: ConvGradGeometry): TensorInfo | null {
  const { hp, wp, direct } = plane(g);
  const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = g;
  if (!allFinite(simd, backend, x)) return null;
  const out = backend.makeOutput([fh, fw, ci, co], 'float32');
  const dwT = backend.makeOutput([co, fh, fw, ci], 'float32');
  const padded = direct ? null : backend.makeOutput([g.batchSize, hp, wp, ci], 'float32');
  // Views only after every allocation: makeOutput may grow the heap.
  const xv = heapF32(backend, padded ?? x);
  if (padded) {
    xv.fill(0);
    copyRows(g, hp, wp, heapF32(backend, x), xv, true);
  }
  const t = heapF32(backend, dwT);
  t.fill(0);
  eachImage(simd.convFilterGradSparse, g, hp, wp, xv, t, heapF32(backend, dy));
  swapFilterLayout(g, t, heapF32(backend, out), false);
  free(backend, dwT);
  if (padded) free(backend, padded);
  return out;
}

/** dx [N, inH, inW, Cin], or null when the filter is not all finite. */
export function convInputGradSparse(simd: SimdKernels, backend: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, g: ConvGradGeometry): TensorInfo | null {
  const { hp, wp, direct } = plane(g);
  const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = g;
  if (!allFinite(simd, backend, filter)) return null;
  const dx = backend.makeOutput([g.batchSize, g.inHeight, g.inWidth, ci], 'float32');
  const wT = backend.makeOutput([co, fh, fw, ci], 'float32');
  const padded = direct ? null : backend.makeOutput([g.batchSize, hp, wp, ci], 'float32');
  const t = heapF32(backend, wT);
  swapFilterLayout(g, heapF32(backend, filter), t, true);
  const dxv = heapF32(backend, dx);
  dxv.fill(0);
  const acc = padded ? heapF32(backend, padded) : dxv;
  if (padded) acc.fill(0);
  eachImage(simd.convInputGradSparse, g, hp, wp, acc, t, heapF32(backend, dy));
  if (padded) copyRows(g, hp, wp, dxv, acc, false);
  free(backend, wT);
  if (padded) free(backend, padded);
  return dx;
}
