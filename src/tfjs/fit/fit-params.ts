/**
 * What a callback can learn from fit's `params` (set before onTrainBegin): `steps` is fitDataset's
 * batchesPerEpoch, `samples` and `batchSize` are fit's; fitDataset without batchesPerEpoch
 * knows neither, and then only the caller can say how long an epoch is.
 */
type Params = { [key: string]: unknown };

/** Batches per epoch, or undefined when fit does not know it. */
export function batchesPerEpoch(params: Params | undefined): number | undefined {
  const steps = params?.steps;
  if (typeof steps === 'number' && steps > 0) return steps;
  const samples = params?.samples;
  const batchSize = params?.batchSize;
  if (typeof samples === 'number' && typeof batchSize === 'number' && samples > 0 && batchSize > 0) return Math.ceil(samples / batchSize);
  return undefined;
}

/** The metric names fit will log (`loss`, `acc`, `val_loss`, …), from `params.metrics`. */
export function metricNames(params: Params | undefined): string[] {
  const m = params?.metrics;
  return Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : [];
}
