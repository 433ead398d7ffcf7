import type { Tf, tfTypes } from '../tf-types';
import { simdKernels } from './simd';
import { heapF32, singleDy, wasmKernel, type KernelConfig, type TensorInfo } from './wasm-util';

const RELU_GRAD = 'TbkitReluGrad';

/**
 * dx = dy·step(x) as one kernel (./simd-relu-grad.ts) instead of tfjs-core's Step + Multiply
 * passes. The tail that is not a whole vector, and runtimes without SIMD, use the same formula
 * in JS.
 */
export function makeReluGradKernelConfig(tf: Tf): KernelConfig {
  return wasmKernel<{ x: TensorInfo; dy: TensorInfo }>(RELU_GRAD, (backend, { x, dy }) => {
    const n = tf.util.sizeFromShape(x.shape);
    const dx = backend.makeOutput(x.shape, 'float32');
    const xv = heapF32(backend, x);
    const dyv = heapF32(backend, dy);
    const dxv = heapF32(backend, dx);
    const simd = simdKernels(backend.wasm);
    const vectorized = simd ? n & ~3 : 0;
    if (simd && vectorized > 0) simd.reluGrad(xv.byteOffset, dyv.byteOffset, dxv.byteOffset, vectorized * 4);
    for (let i = vectorized; i < n; i++) {
      const v = xv[i];
      dxv[i] = dyv[i] * (v > 0 ? 1 : v !== v ? NaN : 0);
    }
    return dx;
  });
}

/** The Relu gradient through RELU_GRAD while wasm is active (float32 only); the stock one elsewhere. */
export function makeReluGradConfig(tf: Tf, stock: tfTypes.GradConfig): tfTypes.GradConfig {
  return {
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const g = singleDy(dy);
      if (tf.getBackend() !== 'wasm' || tf.getKernel(RELU_GRAD, 'wasm') == null || x.dtype !== 'float32' || g.dtype !== 'float32') {
        return stock.gradFunc(dy, saved, attrs);
      }
      return { x: () => tf.engine().runKernel(RELU_GRAD, { x, dy: g }) as tfTypes.Tensor };
    },
  };
}
