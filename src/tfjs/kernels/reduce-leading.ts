import type { Tf } from '../tf-types';
import { heapF32, runFallback, runWasmKernel, wasmKernel, type KernelConfig, type TensorInfo } from './wasm-util';

/**
 * Sum / Mean for the wasm backend when the reduced axes are a leading prefix (e.g. axes [0,1,2] of
 * an NHWC activation: bias and BatchNorm gradients, BN batch moments). The stock kernels first
 * transpose the reduced axes innermost. Viewing X as a [1,M,1,C] image, one XNNPACK average pool
 * with an [M,1] window gives the mean in one streaming pass. (A ones[1,M] x X matmul is as fast
 * only when X is reused: wasm BatchMatMul repacks its right operand for every new tensor.)
 * Anything else uses the stock kernel.
 */
export function makeReduceLeadingConfig(tf: Tf, kernelName: 'Sum' | 'Mean', fallback: KernelConfig | undefined): KernelConfig {
  type Attrs = { axis: number | number[]; keepDims?: boolean };
  return wasmKernel<{ x: TensorInfo }, Attrs>(kernelName, (backend, { x }, attrs, args) => {
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    const k = axes.length;
    const leading = k > 0 && k < x.shape.length && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return runFallback(fallback, args, `${kernelName} over axes [${axes}] of [${x.shape}] (${x.dtype})`);
    let m = 1;
    for (let i = 0; i < k; i++) m *= x.shape[i];
    const keptShape = x.shape.slice(k);
    let c = 1;
    for (const d of keptShape) c *= d;
    const outShape = attrs.keepDims ? [...x.shape.slice(0, k).map(() => 1), ...keptShape] : keptShape;

    const out = runWasmKernel(tf, backend, 'AvgPool', { x: { ...x, shape: [1, m, 1, c] } }, {
      filterSize: [m, 1],
      strides: [1, 1],
      pad: 'valid',
      dimRoundingMode: undefined,
    });
    if (kernelName === 'Sum') {
      const v = heapF32(backend, out);
      for (let i = 0; i < v.length; i++) v[i] *= m;
    }
    return { ...out, shape: outShape };
  });
}
