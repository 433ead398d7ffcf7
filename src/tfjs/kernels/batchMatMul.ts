import type * as tfType from '@tensorflow/tfjs';
import { free, runWasmKernel, TF, TensorInfo, WasmBackendLike } from './wasmUtil';

/**
 * BatchMatMul for the wasm backend with transposed operands. The stock kernel
 * only reaches XNNPACK for transposeA = transposeB = false and otherwise runs a
 * scalar triple loop: the Dense layer's backward pass (dy·Wᵀ and xᵀ·dy) took
 * ~12 ms for 1.6M MACs. Materialising the transpose first (a cheap copy at
 * these sizes) and running the fast path instead is ~10x faster.
 */
export function makeBatchMatMulConfig(tf: TF, stock: tfType.KernelConfig): tfType.KernelConfig {
  const kernelFunc = (args: {
    inputs: tfType.NamedTensorInfoMap;
    backend: unknown;
    attrs?: tfType.NamedAttrMap;
  }): TensorInfo | TensorInfo[] => {
    const backend = args.backend as WasmBackendLike;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = (args.attrs ?? {}) as unknown as { transposeA: boolean; transposeB: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return stock.kernelFunc(args as Parameters<tfType.KernelFunc>[0]);
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
      backend: args.backend as tfType.KernelBackend,
      attrs: { ...attrs, transposeA: false, transposeB: false } as unknown as tfType.NamedAttrMap,
    });
    if (aT) free(backend, aT);
    if (bT) free(backend, bT);
    return out;
  };
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc };
}
