import type * as tfType from '@tensorflow/tfjs';
import { heapF32, runWasmKernel, TF, TensorInfo, WasmBackendLike } from './wasmUtil';

/**
 * Sum / Mean for the wasm backend when the reduced axes are a leading prefix
 * (e.g. axes [0,1,2] of an NHWC activation: bias and BatchNorm gradients, BN
 * batch moments). The stock kernels transpose the reduced axes innermost first,
 * ~11 ms for [100,26,26,32]. Viewing X as a [1,M,1,C] image, one XNNPACK
 * average pool with an [M,1] window gives the mean in ~1 ms. (A ones[1,M] x X
 * matmul is as fast only when X is reused: wasm BatchMatMul repacks its right
 * operand, ~10 ms, for every new tensor.) Anything else uses the stock kernel.
 */
export function makeReduceLeadingConfig(
  tf: TF,
  kernelName: 'Sum' | 'Mean',
  fallback: tfType.KernelConfig | undefined,
): tfType.KernelConfig {
  const kernelFunc = (args: {
    inputs: tfType.NamedTensorInfoMap;
    backend: unknown;
    attrs?: tfType.NamedAttrMap;
  }): TensorInfo | TensorInfo[] => {
    const backend = args.backend as WasmBackendLike;
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = (args.attrs ?? {}) as unknown as { axis: number | number[]; keepDims?: boolean };
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    const k = axes.length;
    const leading = k > 0 && k < x.shape.length && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') {
      if (!fallback) throw new Error(`wasm ${kernelName}: unsupported case and no fallback kernel`);
      return fallback.kernelFunc(args as Parameters<tfType.KernelFunc>[0]);
    }
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
  };
  return { kernelName, backendName: 'wasm', kernelFunc };
}
