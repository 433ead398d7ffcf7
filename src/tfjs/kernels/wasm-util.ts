/**
 * What every wasm kernel of tbkit shares: the slice of the backend it uses, the kernel-config
 * wrapper, the fallback to the stock kernel, heap views, and running another kernel directly.
 */
import type { Tf, tfTypes } from '../tf-types';

export type TensorInfo = tfTypes.TensorInfo;
export type KernelConfig = tfTypes.KernelConfig;
/** What tfjs hands a kernel function (passed on unchanged to a fallback kernel). */
type KernelArgs = Parameters<tfTypes.KernelFunc>[0];

/**
 * The slice of BackendWasm our kernels rely on. Typed structurally so we do not
 * depend on the wasm package's internal class declarations.
 */
/** The window attributes tfjs's conv and pool kernels share (what computeConv2DInfo and computePool2DInfo take). */
export interface WindowAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tfTypes.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tfTypes.DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** The Emscripten module (HEAPU8, and the WebAssembly.Memory that ./simd.ts imports). */
  wasm: { HEAPU8: Uint8Array };
}

/**
 * A wasm kernel config: `run` gets the backend as WasmBackendLike, the inputs and attributes typed
 * as the kernel declares them (attributes `{}` when tfjs passes none), and the raw arguments for
 * `runFallback`.
 */
export function wasmKernel<Inputs, Attrs = unknown>(
  kernelName: string,
  run: (backend: WasmBackendLike, inputs: Inputs, attrs: Attrs, args: KernelArgs) => TensorInfo | TensorInfo[],
): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: (args) => run(args.backend as unknown as WasmBackendLike, args.inputs as unknown as Inputs, (args.attrs ?? {}) as unknown as Attrs, args),
  };
}

/** Runs the stock kernel for a case ours does not handle; without one, throws naming the case. */
export function runFallback(fallback: KernelConfig | undefined, args: KernelArgs, unsupported: string): TensorInfo | TensorInfo[] {
  if (!fallback) throw new Error(`wasm ${unsupported}, and no stock kernel to fall back to`);
  return fallback.kernelFunc(args);
}

/** The one gradient a single-output op's gradFunc receives (tfjs passes it alone or in a list). */
export function singleDy<T>(dy: T | T[]): T {
  return Array.isArray(dy) ? dy[0] : dy;
}

/**
 * Runs another registered wasm kernel directly (not through the engine), so the
 * intermediates of a composite kernel never show up on the gradient tape or in
 * tf.memory(). Callers must free what they get back with `free`.
 */
export function runWasmKernel(
  tf: Tf,
  backend: WasmBackendLike,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: object,
): TensorInfo {
  const k = tf.getKernel(kernelName, 'wasm');
  if (k == null) throw new Error(`wasm kernel ${kernelName} is not registered`);
  const out = k.kernelFunc({
    inputs,
    attrs: attrs as tfTypes.NamedAttrMap,
    backend: backend as unknown as tfTypes.KernelBackend,
  });
  return Array.isArray(out) ? out[0] : out;
}

export function free(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/**
 * Float32 view of a tensor living in the wasm heap. Any later makeOutput may
 * grow (and so detach) the heap, so take views only after all allocations.
 */
export function heapF32(backend: WasmBackendLike, t: TensorInfo): Float32Array {
  const a = backend.typedArrayFromHeap(t);
  if (!(a instanceof Float32Array)) throw new Error(`expected float32 tensor, got ${t.dtype}`);
  return a;
}

export function isChannelsLast(dataFormat: unknown): boolean {
  return dataFormat == null || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
}

/**
 * Transpose that keeps the last axis in place, as copyWithin runs of that axis inside the wasm
 * heap: the stock wasm Transpose moves one element at a time, which is slower for the NHWC
 * activations here (e.g. [100,26,26,32] -> [26,26,100,32]). Other permutations (or short rows)
 * go to the stock kernel.
 */
export function transposeKeepLast(tf: Tf, backend: WasmBackendLike, x: TensorInfo, perm: number[]): TensorInfo {
  const rank = x.shape.length;
  const inner = x.shape[rank - 1];
  if (perm[rank - 1] !== rank - 1 || inner < 8 || x.dtype !== 'float32') {
    return runWasmKernel(tf, backend, 'Transpose', { x }, { perm });
  }
  const outShape = perm.map((p) => x.shape[p]);
  const out = backend.makeOutput(outShape, 'float32');
  const heap = new Float32Array(backend.wasm.HEAPU8.buffer);
  const src0 = heapF32(backend, x).byteOffset >> 2;
  const dst0 = heapF32(backend, out).byteOffset >> 2;
  // Input strides (in elements) seen in output-axis order.
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * x.shape[i + 1];
  const srcStride = perm.map((p) => inStrides[p]);
  const outer = rank - 1;
  const idx = new Array<number>(outer).fill(0);
  let total = 1;
  for (let i = 0; i < outer; i++) total *= outShape[i];
  let src = src0;
  let dst = dst0;
  for (let n = 0; n < total; n++) {
    heap.copyWithin(dst, src, src + inner);
    dst += inner;
    // Odometer over the output's outer axes.
    for (let a = outer - 1; a >= 0; a--) {
      idx[a]++;
      src += srcStride[a];
      if (idx[a] < outShape[a]) break;
      src -= srcStride[a] * outShape[a];
      idx[a] = 0;
    }
  }
  return out;
}
