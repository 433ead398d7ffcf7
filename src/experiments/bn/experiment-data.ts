/** The data set an experiment config names, loaded and reported (before tfjs starts: a data problem shows first). */
import { loadDataset, SYNTHETIC_NOTICE, type LoadedDataset } from './data';
import type { ExperimentConfig } from './config';
import type { ExperimentIO } from './run-types';

export async function loadExperimentData(config: ExperimentConfig, io: ExperimentIO): Promise<LoadedDataset> {
  const data = await loadDataset({
    dataset: config.dataset,
    dataDir: config.dataDir,
    csvPath: config.csvPath,
    limit: config.limit,
    seed: config.seed,
    validationFraction: config.validationFraction,
    log: io.warn,
  });
  if (config.dataset === 'synthetic') io.warn(SYNTHETIC_NOTICE);
  io.log(`data: ${data.source}: ${data.train.n} training, ${data.validation.n} validation images`);
  return data;
}
