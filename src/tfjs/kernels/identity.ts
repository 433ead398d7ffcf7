import { runFallback, wasmKernel, type KernelConfig, type TensorInfo } from './wasm-util';

/**
 * Zero-copy Identity for the wasm backend. The engine clones every tensor it saves for the
 * backward pass (tf.clone → Identity), and the stock wasm kernel memcpys each one: dozens of
 * full-activation copies per BN training step. Tensors are immutable, so sharing the buffer with a
 * refcount is enough (the CPU backend does the same). Strings keep the stock path.
 */
export function makeIdentityConfig(fallback: KernelConfig | undefined): KernelConfig {
  return wasmKernel<{ x: TensorInfo }>('Identity', (backend, { x }, _attrs, args) => {
    if (x.dtype === 'string') return runFallback(fallback, args, 'Identity of string tensors');
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
