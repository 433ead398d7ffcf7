import type { tfTypes } from '../tf-types';
import { runFallback, wasmKernel, type KernelConfig, type TensorInfo } from './wasm-util';

/**
 * Cast for the wasm backend: a same-dtype cast shares the buffer instead of copying it. tfjs emits
 * those on every step (tf.moments casts its float32 input, the ReLU gradient casts step(x) to
 * float32), each a full-activation memcpy with the stock kernel. Casts to bool are done here too:
 * the stock kernel copies the numbers into the Uint8 buffer (int32 3 -> bool 3), where every other
 * backend gives 0/1. Other conversions use the stock kernel.
 */
export function makeCastConfig(fallback: KernelConfig | undefined): KernelConfig {
  return wasmKernel<{ x: TensorInfo }, { dtype: tfTypes.DataType }>('Cast', (backend, { x }, { dtype }, args) => {
    if (dtype === 'bool' && x.dtype !== 'bool' && x.dtype !== 'string' && x.dtype !== 'complex64') {
      const out = backend.makeOutput(x.shape, 'bool');
      const src = backend.typedArrayFromHeap(x);
      const dst = backend.typedArrayFromHeap(out);
      for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
      return out;
    }
    if (dtype !== x.dtype || x.dtype === 'string') return runFallback(fallback, args, `Cast ${x.dtype}->${dtype}`);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
