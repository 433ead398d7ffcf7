import type { Tf } from '../tf-types';
import { convForwardDense, denseConvApplies } from './conv-dense';
import { simdKernels } from './simd';
import { wasmKernel, type KernelConfig, type TensorInfo, type WindowAttrs } from './wasm-util';

/**
 * FusedConv2D (what tf.layers' conv2d runs) for the wasm backend: stride-1 'valid' NHWC convs
 * with a rank-1 bias (or none) and no activation run on ./conv-dense.ts's loop, whose sums are
 * XNNPACK's bit for bit. Everything else (other geometry, activations, output channels not a
 * multiple of 8, no SIMD) runs the stock kernel.
 */
export function makeFusedConv2DConfig(tf: Tf, stock: KernelConfig): KernelConfig {
  type Inputs = { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo | null; preluActivationWeights?: TensorInfo | null };
  type Attrs = WindowAttrs & {
    dataFormat?: string;
    dilations?: [number, number] | number;
    activation?: string | null;
  };
  return wasmKernel<Inputs, Attrs>('FusedConv2D', (backend, { x, filter, bias, preluActivationWeights }, attrs, args) => {
    const linear = attrs.activation == null || attrs.activation === 'linear';
    if (linear && preluActivationWeights == null && (attrs.dataFormat ?? 'NHWC') === 'NHWC' && x.dtype === 'float32' && filter.dtype === 'float32') {
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
        attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode,
      );
      const biasOk = bias == null || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === info.outChannels);
      const simd = biasOk && info.outChannels % 8 === 0 && info.batchSize > 0 && info.outHeight > 0 && info.outWidth > 0 && denseConvApplies(info) ? simdKernels(backend.wasm) : null;
      if (simd) return convForwardDense(simd, backend, x, filter, bias ?? null, info);
    }
    return stock.kernelFunc(args);
  });
}
