import type { Tf } from '../tf-types';
import { free, runWasmKernel, wasmKernel, type KernelConfig, type TensorInfo } from './wasm-util';

/**
 * BatchMatMul for the wasm backend with transposed operands. The stock kernel only reaches
 * XNNPACK for transposeA = transposeB = false and otherwise runs a scalar triple loop (the Dense
 * layer's backward pass: dy·Wᵀ and xᵀ·dy). Materialising the transpose first (a cheap copy at
 * these sizes) and running the fast path instead is much faster.
 */
export function makeBatchMatMulConfig(tf: Tf, stock: KernelConfig): KernelConfig {
  type Attrs = { transposeA: boolean; transposeB: boolean };
  return wasmKernel<{ a: TensorInfo; b: TensorInfo }, Attrs>('BatchMatMul', (backend, { a, b }, attrs, args) => {
    if (!attrs.transposeA && !attrs.transposeB) return stock.kernelFunc(args);
    const swapLast = (t: TensorInfo): TensorInfo => {
      const r = t.shape.length;
      const perm = t.shape.map((_, i) => i);
      perm[r - 2] = r - 1;
      perm[r - 1] = r - 2;
      return runWasmKernel(tf, backend, 'Transpose', { x: t }, { perm });
    };
    const aT = attrs.transposeA ? swapLast(a) : null;
    const bT = attrs.transposeB ? swapLast(b) : null;
    const out = stock.kernelFunc({
      inputs: { a: aT ?? a, b: bT ?? b },
      backend: args.backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    if (aT) free(backend, aT);
    if (bT) free(backend, bT);
    return out;
  });
}
