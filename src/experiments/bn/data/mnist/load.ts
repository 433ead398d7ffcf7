/** Loading one MNIST split (images and labels, verified and parsed) into an ImageDataset. */
import { DataError, NUM_CLASSES, type ImageDataset } from '../dataset';
import { assertSameCount, parseIdxImages, parseIdxLabels } from '../idx';
import { MNIST_FILES, scanMnistDir, type MnistSplit } from './files';
import { verifyMnistFile } from './verify';

export interface LoadMnistOptions {
  split: MnistSplit;
}

/**
 * Loads one split from a directory holding the MNIST files (as returned by
 * {@link locateMnist}): 60000 training or 10000 test images, 28×28, raw
 * 0–255 bytes, labels 0–9. The files are MD5-verified as they are read.
 */
export async function loadMnist(dir: string, options: LoadMnistOptions): Promise<ImageDataset> {
  const split = options.split;
  if (split !== 'train' && split !== 'test') throw new DataError(`loadMnist: split must be 'train' or 'test', got ${String(split)}`);
  const scan = await scanMnistDir(dir);
  const specs = MNIST_FILES.filter((f) => f.split === split);
  const missing = specs.filter((s) => !scan.found[s.key]);
  if (missing.length > 0) {
    throw new DataError(
      `MNIST directory ${dir} is missing ${missing.map((f) => `${f.name} (or ${f.rawName})`).join(', ')}`,
      dir,
    );
  }
  const imagesSpec = specs.find((s) => s.kind === 'images')!;
  const labelsSpec = specs.find((s) => s.kind === 'labels')!;
  const imagesFile = scan.found[imagesSpec.key]!;
  const labelsFile = scan.found[labelsSpec.key]!;
  const [imagesRaw, labelsRaw] = await Promise.all([
    verifyMnistFile(imagesFile, imagesSpec),
    verifyMnistFile(labelsFile, labelsSpec),
  ]);
  const images = parseIdxImages(imagesRaw, imagesFile);
  const labels = parseIdxLabels(labelsRaw, labelsFile, NUM_CLASSES);
  assertSameCount(images, labels, imagesFile, labelsFile);
  if (images.rows !== 28 || images.cols !== 28) {
    throw new DataError(`${imagesFile}: images are ${images.rows}x${images.cols}, expected 28x28`, imagesFile);
  }
  return { images: images.pixels, labels: labels.labels, n: images.n, height: 28, width: 28 };
}
