/**
 * Data layer of the Batch Normalization experiment: MNIST (IDX files),
 * Kaggle CSV, or synthetic digits, as plain typed arrays. No tfjs here; the
 * training code turns batches (see gatherBatch) into tensors.
 */
export { DataError, type ImageDataset } from './dataset';
export { loadDataset, type LoadedDataset } from './load-dataset';
export { MNIST_FILES } from './mnist/files';
export { defaultMnistCacheDir, locateMnist } from './mnist/locate';
export { installedMnistPackageDir } from './mnist/package-dir';
export { downloadMnistFile } from './mnist/download';
export { loadMnist } from './mnist/load';
export { readDigitCsv } from './csv';
export { SYNTHETIC_NOTICE, syntheticDigits } from './synthetic';
export { epochPermutation, gatherBatch, shuffledBatches, trainValidationSplit } from './split';
