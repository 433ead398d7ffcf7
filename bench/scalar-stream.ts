/**
 * The one scalar stream every writer and reader row uses, so that tbkit, tensorboardX and
 * torch.utils.tensorboard log the same tags, steps and values: 4 tags interleaved, one step per
 * 4 scalars (a typical training loop's shape), values from a precomputed table (the loops measure
 * logging, not Math.sin). bench/peers/writers.py rebuilds the same table.
 */
import type { SummaryWriter } from '../src/summary/summary-writer';

export const SCALAR_TAGS = ['loss', 'accuracy', 'learning_rate', 'grad_norm'] as const;

/** Value of scalar i is VALUES[i & 1023]. */
export const VALUES = (() => {
  const v = new Float64Array(1024);
  for (let i = 0; i < v.length; i++) v[i] = 2 / (1 + i / 100) + Math.sin(i) * 0.01;
  return v;
})();

/** Logs scalars 0..n-1 of the stream: `w.scalar(SCALAR_TAGS[i & 3], VALUES[i & 1023], i >> 2)`. */
export function logScalars(w: SummaryWriter, n: number): void {
  const tags = SCALAR_TAGS;
  const vals = VALUES;
  for (let i = 0; i < n; i++) w.scalar(tags[i & 3], vals[i & 1023], i >> 2);
}
