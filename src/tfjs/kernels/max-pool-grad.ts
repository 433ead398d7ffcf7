import type { Tf } from '../tf-types';
import { simdKernels } from './simd';
import { heapF32, wasmKernel, type KernelConfig, type TensorInfo, type WindowAttrs } from './wasm-util';

/**
 * MaxPoolGrad for the wasm backend. The stock kernel re-scans every window per input pixel; one
 * argmax pass per output pixel straight over the heap views does far less, and the 2x2/stride-2
 * case with channels in fours runs as WebAssembly SIMD (./simd.ts), 4 channels per instruction and
 * branch-free.
 *
 * Ties go to the first maximum in row-major window order, as in the CPU backend
 * (ties are common here: the pool follows a ReLU, so windows of zeros occur).
 */
export function makeMaxPoolGradConfig(tf: Tf): KernelConfig {
  type Attrs = WindowAttrs & { filterSize: [number, number] | number };
  return wasmKernel<{ dy: TensorInfo; input: TensorInfo }, Attrs>('MaxPoolGrad', (backend, { dy, input }, attrs) => {
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const { strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW } = info;
    const fH = info.filterHeight;
    const fW = info.filterWidth;
    const padTop = info.padInfo.top;
    const padLeft = info.padInfo.left;

    const out = backend.makeOutput(input.shape, 'float32');
    const x = heapF32(backend, input);
    const g = heapF32(backend, dy);
    const dx = heapF32(backend, out);
    if (fH === 2 && fW === 2 && sH === 2 && sW === 2 && dH === 1 && dW === 1 && padTop === 0 && padLeft === 0) {
      const simd = C % 4 === 0 ? simdKernels(backend.wasm) : null;
      if (simd) {
        // The SIMD rows write every position of every window; only rows/columns outside all
        // windows (odd H or W) need zeros first.
        if (2 * OH !== H || 2 * OW !== W) dx.fill(0);
        const cBytes = 4 * C;
        const rowBytes = W * cBytes;
        for (let b = 0; b < N; b++) {
          for (let oy = 0; oy < OH; oy++) {
            const inRow = ((b * H + 2 * oy) * W) * cBytes;
            simd.maxPoolGrad2x2Row(x.byteOffset + inRow, g.byteOffset + (b * OH + oy) * OW * cBytes, dx.byteOffset + inRow, OW, cBytes, rowBytes);
          }
        }
        return out;
      }
      dx.fill(0);
      maxPoolGrad2x2(x, g, dx, N, H, W, C, OH, OW);
      return out;
    }
    dx.fill(0);
    const best = new Float32Array(C);
    const bestIdx = new Int32Array(C);
    for (let b = 0; b < N; b++) {
      for (let oy = 0; oy < OH; oy++) {
        const y0 = oy * sH - padTop;
        for (let ox = 0; ox < OW; ox++) {
          const x0 = ox * sW - padLeft;
          best.fill(-Infinity);
          bestIdx.fill(-1);
          for (let wy = 0; wy < fH; wy++) {
            const yy = y0 + wy * dH;
            if (yy < 0 || yy >= H) continue;
            for (let wx = 0; wx < fW; wx++) {
              const xx = x0 + wx * dW;
              if (xx < 0 || xx >= W) continue;
              const base = ((b * H + yy) * W + xx) * C;
              for (let c = 0; c < C; c++) {
                const v = x[base + c];
                // Strict '>' as in the CPU backend: all -Inf/NaN windows get no gradient.
                if (v > best[c]) {
                  best[c] = v;
                  bestIdx[c] = base + c;
                }
              }
            }
          }
          const go = ((b * OH + oy) * OW + ox) * C;
          for (let c = 0; c < C; c++) {
            const idx = bestIdx[c];
            if (idx >= 0) dx[idx] += g[go + c];
          }
        }
      }
    }
    return out;
  });
}

/**
 * The 2x2/stride-2/unpadded case (every pool of the BN CNN), unrolled: windows
 * do not overlap, so each gradient lands in exactly one place, and the four
 * candidates are compared in the CPU backend's order with the same strict '>'.
 */
function maxPoolGrad2x2(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  N: number,
  H: number,
  W: number,
  C: number,
  OH: number,
  OW: number,
): void {
  const rowStride = W * C;
  let go = 0;
  for (let b = 0; b < N; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const rowBase = (b * H + 2 * oy) * rowStride;
      for (let ox = 0; ox < OW; ox++) {
        const p00 = rowBase + 2 * ox * C;
        const p01 = p00 + C;
        const p10 = p00 + rowStride;
        const p11 = p10 + C;
        for (let c = 0; c < C; c++, go++) {
          let m = -Infinity;
          let idx = -1;
          let v = x[p00 + c];
          if (v > m) { m = v; idx = p00 + c; }
          v = x[p01 + c];
          if (v > m) { m = v; idx = p01 + c; }
          v = x[p10 + c];
          if (v > m) { m = v; idx = p10 + c; }
          v = x[p11 + c];
          if (v > m) { idx = p11 + c; }
          if (idx >= 0) dx[idx] = g[go];
        }
      }
    }
  }
}
