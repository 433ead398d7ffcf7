/**
 * tfjs helpers for lazy step values (the session itself never imports tfjs: it duck-types
 * tensors). A tfjs scalar returned by a step function is only downloaded (`await t.data()`) on steps
 * where a hook requested its name, then disposed by the session.
 *
 * ```ts
 * await session.run(() => {
 *   const cost = optimizer.minimize(() => loss(model.predict(x), y), true)!; // tf.Scalar, stays on the backend
 *   return { cost, acc: lazyScalar(() => accuracy(model, x, y)) };       // acc computed only when requested
 * });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { resolveLazy, type LazyValue } from '../session';

/**
 * A value computed only when some hook requests it: `compute` runs inside `tf.tidy` (intermediates
 * are freed), its result is read with `data()` and then disposed by the session.
 */
export function lazyScalar(compute: () => tf.Tensor): () => tf.Tensor {
  return () => tf.tidy(compute);
}

/** Reads a one-element tensor (or a number) into a number, asynchronously (`data()`, no blocking sync). */
export async function scalarValue(t: tf.Tensor | number, name = 'value'): Promise<number> {
  return resolveLazy(name, t as LazyValue);
}

/**
 * Resolves a record of tensors/numbers into numbers (e.g. a ValidationHook `fn` computing tfjs metrics).
 * With `dispose: true` (default) the tensors are disposed after reading.
 */
export async function scalarValues(values: Record<string, tf.Tensor | number>, opts: { dispose?: boolean } = {}): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  try {
    for (const [k, v] of Object.entries(values)) out[k] = await resolveLazy(k, v as LazyValue);
  } finally {
    if (opts.dispose ?? true) for (const v of Object.values(values)) if (v instanceof tf.Tensor) v.dispose();
  }
  return out;
}
