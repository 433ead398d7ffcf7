/**
 * The `logs` object `model.fit` hands its callbacks: `{ loss, acc, val_loss, …, batch, size }`,
 * whose values are numbers or one-element tensors (tfjs resolves them only for CustomCallback; a
 * `tf.Callback` subclass sees the tensors). `batch`, `size` and `num_steps` are fit's bookkeeping,
 * not metrics (tfjs-node's tensorBoard skips them too). A value that is missing, undefined or not a
 * number is skipped, never an error: a callback must not throw into fit.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LazyValue } from '../../hook-contract';

/** What fit passes (tfjs-layers' UnresolvedLogs, which tfjs does not export). */
export type FitLogs = { [key: string]: number | tf.Tensor | undefined };

const BOOKKEEPING = new Set(['batch', 'size', 'num_steps']);
export const VAL_PREFIX = 'val_';

function isTensor(v: unknown): v is tf.Tensor {
  return v !== null && typeof v === 'object' && typeof (v as tf.Tensor).data === 'function' && !(v as tf.Tensor).isDisposed;
}

/** The metric entries of `logs`: numbers (NaN and ±Infinity included) and live tensors. */
function metricEntries(logs: FitLogs | undefined): Array<[string, number | tf.Tensor]> {
  const out: Array<[string, number | tf.Tensor]> = [];
  for (const [k, v] of Object.entries(logs ?? {})) {
    if (BOOKKEEPING.has(k)) continue;
    if (typeof v === 'number' || isTensor(v)) out.push([k, v]);
  }
  return out;
}

/** The metrics of `logs` as numbers, reading tensors with `data()`; a tensor that cannot be read is skipped. */
export async function readLogs(logs: FitLogs | undefined): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [k, v] of metricEntries(logs)) {
    if (typeof v === 'number') {
      out[k] = v;
      continue;
    }
    try {
      const d = await v.data();
      if (d.length === 1) out[k] = Number(d[0]);
    } catch {
      // disposed by another callback meanwhile: nothing to log
    }
  }
  return out;
}

/**
 * The metrics of `logs` as session step values: numbers as they are, tensors as thunks, so that a
 * tensor is only downloaded when a hook asked for its name, and never disposed by the session
 * (fit disposes its own logs, and later callbacks still read them).
 */
export function lazyLogValues(logs: FitLogs | undefined): Record<string, LazyValue> {
  const out: Record<string, LazyValue> = {};
  for (const [k, v] of metricEntries(logs)) out[k] = typeof v === 'number' ? v : () => v.data().then((d) => Number(d[0]));
  return out;
}
