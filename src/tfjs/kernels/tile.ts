import { heapF32, runFallback, wasmKernel, type KernelConfig, type TensorInfo } from './wasm-util';

/**
 * Tile for the wasm backend, for the broadcast pattern tfjs's batchNorm gradient uses (tile
 * [1,1,1,C] to [N,H,W,C]): when every repeated axis comes before the data-carrying axes, the
 * output is the input buffer repeated, which doubling copyWithin (memcpy) writes far faster than
 * the stock per-element index kernel. Other patterns use the stock kernel.
 */
export function makeTileConfig(fallback: KernelConfig | undefined): KernelConfig {
  return wasmKernel<{ x: TensorInfo }, { reps: number[] }>('Tile', (backend, { x }, { reps }, args) => {
    // Split point p: x.shape[i] == 1 for i < p and reps[i] == 1 for i >= p.
    let p = 0;
    while (p < x.shape.length && x.shape[p] === 1) p++;
    const wholeBufferRepeat = reps.length === x.shape.length && reps.slice(p).every((r) => r === 1);
    if (!wholeBufferRepeat || x.dtype !== 'float32') return runFallback(fallback, args, `Tile [${x.shape}] by [${reps}] (${x.dtype})`);
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const out = backend.makeOutput(outShape, 'float32');
    const src = heapF32(backend, x);
    const dst = heapF32(backend, out);
    const n = src.length;
    const total = dst.length;
    if (n > 0) {
      dst.set(src, 0);
      let filled = n;
      while (filled < total) {
        const len = Math.min(filled, total - filled);
        dst.copyWithin(filled, 0, len);
        filled += len;
      }
    }
    return out;
  });
}
