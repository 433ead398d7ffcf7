import { heapF32, wasmKernel, type KernelConfig, type TensorInfo } from './wasm-util';

export const ADAM_UPDATE = 'TbkitAdamUpdate';

/**
 * One Adam step for one variable, as one kernel: tf.train.adam's applyGradients makes 12 ops of
 * it (each a pass, an output tensor and the engine's bookkeeping). The arithmetic is the same
 * float32 operations in the same order, each rounded to float32 (Math.fround of the double result
 * is the correctly rounded float32 result for + − × ÷ and √), so the values are bit for bit those
 * of the 12 ops:
 *   m' = m·β1 + g·(1−β1)    v' = v·β2 + g²·(1−β2)
 *   x' = (m'/(1−β1ᵗ)) / (√(v'/(1−β2ᵗ)) + ε) · (−lr) + x
 * Inputs: x, m, v, g and the scalars 1−β1ᵗ, 1−β2ᵗ; outputs [x', m', v'].
 */
export function makeAdamUpdateConfig(): KernelConfig {
  type Inputs = Record<'x' | 'm' | 'v' | 'g' | 'oneMinusAccBeta1' | 'oneMinusAccBeta2', TensorInfo>;
  type Attrs = { beta1: number; beta2: number; epsilon: number; learningRate: number };
  return wasmKernel<Inputs, Attrs>(ADAM_UPDATE, (backend, ins, attrs) => {
    for (const [name, t] of Object.entries(ins)) {
      if (t.dtype !== 'float32') throw new Error(`${ADAM_UPDATE}: ${name} must be float32, got ${t.dtype}`);
    }
    const outs = [backend.makeOutput(ins.x.shape, 'float32'), backend.makeOutput(ins.x.shape, 'float32'), backend.makeOutput(ins.x.shape, 'float32')];
    const [x, m, v, g] = [ins.x, ins.m, ins.v, ins.g].map((t) => heapF32(backend, t));
    const [nx, nm, nv] = outs.map((t) => heapF32(backend, t));
    if (m.length !== x.length || v.length !== x.length || g.length !== x.length) throw new Error(`${ADAM_UPDATE}: x, m, v and g must have one shape`);
    const f = Math.fround;
    const [b1, b2, eps, negLr] = [f(attrs.beta1), f(attrs.beta2), f(attrs.epsilon), f(-attrs.learningRate)];
    const [c1, c2] = [f(1 - attrs.beta1), f(1 - attrs.beta2)];
    const a1 = heapF32(backend, ins.oneMinusAccBeta1)[0];
    const a2 = heapF32(backend, ins.oneMinusAccBeta2)[0];
    for (let i = 0; i < x.length; i++) {
      const gi = g[i];
      const mi = f(f(m[i] * b1) + f(gi * c1));
      const vi = f(f(v[i] * b2) + f(f(gi * gi) * c2));
      nm[i] = mi;
      nv[i] = vi;
      nx[i] = f(f(f(f(mi / a1) / f(f(Math.sqrt(f(vi / a2))) + eps)) * negLr) + x[i]);
    }
    return outs;
  });
}
