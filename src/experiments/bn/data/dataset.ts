/**
 * What every data source of the experiment produces (an ImageDataset of plain typed arrays, no
 * tfjs) and how it fails (a DataError naming the file).
 */
import { promises as fsp } from 'fs';

/** Number of classes in digit data sets. */
export const NUM_CLASSES = 10;

/**
 * A labelled set of single-channel images, stored as plain typed arrays.
 * `images` is row-major, n × height × width, raw 0–255 pixel values.
 * Both arrays own their ArrayBuffer (byteOffset 0, exact length), so
 * `images.buffer` can be handed to other code safely.
 */
export interface ImageDataset {
  images: Uint8Array;
  labels: Uint8Array;
  n: number;
  height: number;
  width: number;
}

/** Error raised for any unusable data file; `file` names the offending file. */
export class DataError extends Error {
  readonly file?: string;
  constructor(message: string, file?: string) {
    super(message);
    this.name = 'DataError';
    this.file = file;
  }
}

/** Progress and diagnostic messages of the data layer. */
export type Logger = (message: string) => void;

/** Reads a whole file; errors are DataErrors naming the file. */
export async function readDataFile(file: string): Promise<Buffer> {
  try {
    return await fsp.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(`${file}: file not found`, file);
    if (code === 'EISDIR') throw new DataError(`${file}: is a directory, expected an IDX file`, file);
    throw new DataError(`${file}: cannot read (${(e as Error).message})`, file);
  }
}
