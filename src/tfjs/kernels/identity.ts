import type * as tfType from '@tensorflow/tfjs';
import type { TensorInfo, WasmBackendLike } from './wasmUtil';

/**
 * Zero-copy Identity for the wasm backend. The engine clones every tensor it
 * saves for the backward pass (tf.clone → Identity), and the stock wasm kernel
 * memcpys each one: ~30 full-activation copies per BN training step. Tensors
 * are immutable, so sharing the buffer with a refcount is enough (the CPU
 * backend does the same). Strings keep the stock path.
 */
export function makeIdentityConfig(fallback: tfType.KernelConfig | undefined): tfType.KernelConfig {
  const kernelFunc = (args: {
    inputs: tfType.NamedTensorInfoMap;
    backend: unknown;
    attrs?: tfType.NamedAttrMap;
  }): TensorInfo | TensorInfo[] => {
    const backend = args.backend as WasmBackendLike;
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') {
      if (!fallback) throw new Error('wasm Identity: string tensors need the stock kernel');
      return fallback.kernelFunc(args as Parameters<tfType.KernelFunc>[0]);
    }
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc };
}
