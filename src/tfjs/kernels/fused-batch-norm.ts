import type { Tf } from '../tf-types';
import { free, heapF32, runFallback, runWasmKernel, wasmKernel, type KernelConfig, type TensorInfo } from './wasm-util';

/**
 * FusedBatchNorm (the batchNorm op, training and inference) for the wasm backend. The stock kernel
 * is a scalar per-element loop. Per channel it is just y = x*a + b with a = scale/sqrt(var+eps),
 * b = offset - mean*a, which XNNPACK runs as a 1x1 depthwise conv with bias. Parameters that are
 * not per-channel (or scalar) use the stock kernel.
 */
export function makeFusedBatchNormConfig(tf: Tf, fallback: KernelConfig | undefined): KernelConfig {
  type Inputs = { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo | null; scale?: TensorInfo | null };
  return wasmKernel<Inputs, { varianceEpsilon: number }>('FusedBatchNorm', (backend, inputs, { varianceEpsilon: eps }, args) => {
    const { x } = inputs;
    const rank = x.shape.length;
    const c = rank > 0 ? x.shape[rank - 1] : 0;
    const params = [inputs.mean, inputs.variance, inputs.offset, inputs.scale];
    const perChannel = (t: TensorInfo | null | undefined): boolean => {
      if (t == null) return true;
      const n = tf.util.sizeFromShape(t.shape);
      // A [C]-sized param broadcasts along the last axis only if it is rank 1
      // or all its leading dims are 1.
      return t.dtype === 'float32' && (n === 1 || (n === c && t.shape[t.shape.length - 1] === c));
    };
    if (x.dtype !== 'float32' || rank < 2 || c === 0 || !params.every(perChannel)) {
      return runFallback(fallback, args, `FusedBatchNorm of [${x.shape}] (${x.dtype}) with parameters that are not per channel`);
    }
    const filter = backend.makeOutput([1, 1, c, 1], 'float32');
    const bias = backend.makeOutput([c], 'float32');
    const at = (t: TensorInfo | null | undefined, def: number): ((i: number) => number) => {
      if (t == null) return () => def;
      const v = heapF32(backend, t);
      return v.length === 1 ? () => v[0] : (i: number) => v[i];
    };
    const mean = at(inputs.mean, 0);
    const variance = at(inputs.variance, 1);
    const offset = at(inputs.offset, 0);
    const scale = at(inputs.scale, 1);
    const a = heapF32(backend, filter);
    const b = heapF32(backend, bias);
    for (let i = 0; i < c; i++) {
      const s = scale(i) / Math.sqrt(variance(i) + eps);
      a[i] = s;
      b[i] = offset(i) - mean(i) * s;
    }
    const spatial = tf.util.sizeFromShape(x.shape.slice(0, rank - 1));
    const y = runWasmKernel(
      tf,
      backend,
      'FusedDepthwiseConv2D',
      { x: { ...x, shape: [1, spatial, 1, c] }, filter, bias },
      { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined, activation: 'linear' },
    );
    free(backend, filter, bias);
    return { ...y, shape: x.shape };
  });
}
