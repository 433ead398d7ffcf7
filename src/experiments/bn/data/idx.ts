/**
 * IDX file parsing (the format of the MNIST distribution files).
 *
 * Accepts both gzip'd files (`*.gz`, detected by the gzip magic bytes, not by
 * the file name) and already-gunzipped files. Only the two layouts MNIST uses
 * are supported:
 *   - magic 2051 (0x00000803): unsigned-byte images, header n, rows, cols
 *   - magic 2049 (0x00000801): unsigned-byte labels, header n
 *
 * Plain typed arrays only: this module must not import tfjs.
 */
import { promisify } from 'util';
import * as zlib from 'zlib';
import { DataError } from './dataset';

const gunzipAsync = promisify(zlib.gunzip) as (buf: zlib.InputType, options: zlib.ZlibOptions) => Promise<Buffer>;

/** Magic number of an IDX3 unsigned-byte file (images). */
const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX1 unsigned-byte file (labels). */
const IDX_LABELS_MAGIC = 2049;

export interface IdxImages {
  n: number;
  rows: number;
  cols: number;
  /** n × rows × cols bytes, own ArrayBuffer. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  n: number;
  /** n bytes, own ArrayBuffer. */
  labels: Uint8Array;
}

/** True when the bytes start with the gzip magic (1f 8b). */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function describeStart(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const printable = head.length > 0 && head.every((b) => b >= 0x20 && b < 0x7f);
  return printable ? `"${Buffer.from(head).toString('latin1')}" (${hex})` : hex || '(empty)';
}

/**
 * Gunzips `bytes` if they are gzip data, otherwise returns them unchanged.
 * A file whose name ends in `.gz` but is not gzip data, and gzip data that
 * fails to inflate (truncated / corrupt / bad CRC), are errors naming `file`.
 */
export async function maybeGunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) {
    if (/\.gz$/i.test(file)) {
      throw new DataError(
        `${file}: not a gzip file (starts with ${describeStart(bytes)}, expected 1f 8b); ` +
          `the file is damaged or is not what its name says (an HTML error page saved by a proxy?). Delete it and fetch it again.`,
        file,
      );
    }
    return bytes;
  }
  try {
    // 1 MiB output chunks: the 47 MB of train images inflate in far fewer, larger steps than with the 16 KiB default.
    return await gunzipAsync(bytes, { chunkSize: 1 << 20 });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new DataError(
      `${file}: corrupt gzip data (${msg}); the file is truncated or damaged. Delete it and fetch it again.`,
      file,
    );
  }
}

function readU32BE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

function kindOfMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return ' (that is the magic of an images file)';
  if (magic === IDX_LABELS_MAGIC) return ' (that is the magic of a labels file)';
  return '';
}

function checkMagic(raw: Uint8Array, file: string, expected: number, what: string): void {
  if (raw.length < 4) {
    throw new DataError(
      `${file}: too short to be an IDX ${what} file (${raw.length} bytes; the header alone is ${what === 'images' ? 16 : 8} bytes)`,
      file,
    );
  }
  const magic = readU32BE(raw, 0);
  if (magic !== expected) {
    throw new DataError(
      `${file}: wrong IDX magic number ${magic} (file starts with ${describeStart(raw)}), expected ${expected} ` +
        `(${what}, ${what === 'images' ? 'idx3-ubyte' : 'idx1-ubyte'})${kindOfMagic(magic)}. ` +
        `Is this the right file, or a mislabelled / damaged one?`,
      file,
    );
  }
}

/** Copies a range into a fresh, exactly-sized Uint8Array. */
function ownCopy(bytes: Uint8Array, start: number, length: number): Uint8Array {
  // Not bytes.slice(): on a Buffer that returns a view, not a copy.
  const out = new Uint8Array(length);
  out.set(bytes.subarray(start, start + length));
  return out;
}

/** Parses an (uncompressed) IDX images file, magic 2051. */
export function parseIdxImages(raw: Uint8Array, file: string): IdxImages {
  checkMagic(raw, file, IDX_IMAGES_MAGIC, 'images');
  if (raw.length < 16) {
    throw new DataError(`${file}: truncated IDX images header (${raw.length} bytes, expected at least 16)`, file);
  }
  const n = readU32BE(raw, 4);
  const rows = readU32BE(raw, 8);
  const cols = readU32BE(raw, 12);
  const expected = 16 + n * rows * cols;
  if (raw.length !== expected) {
    throw new DataError(
      `${file}: size mismatch: the header says ${n} images of ${rows}x${cols}, so the uncompressed file should be ` +
        `${expected} bytes, but it is ${raw.length} bytes (${raw.length < expected ? 'truncated' : 'trailing garbage'}). ` +
        `Delete it and fetch it again.`,
      file,
    );
  }
  return { n, rows, cols, pixels: ownCopy(raw, 16, n * rows * cols) };
}

/**
 * Parses an (uncompressed) IDX labels file, magic 2049. If `numClasses` is
 * given, every label must be < numClasses.
 */
export function parseIdxLabels(raw: Uint8Array, file: string, numClasses?: number): IdxLabels {
  checkMagic(raw, file, IDX_LABELS_MAGIC, 'labels');
  if (raw.length < 8) {
    throw new DataError(`${file}: truncated IDX labels header (${raw.length} bytes, expected at least 8)`, file);
  }
  const n = readU32BE(raw, 4);
  const expected = 8 + n;
  if (raw.length !== expected) {
    throw new DataError(
      `${file}: size mismatch: the header says ${n} labels, so the uncompressed file should be ${expected} bytes, ` +
        `but it is ${raw.length} bytes (${raw.length < expected ? 'truncated' : 'trailing garbage'}). Delete it and fetch it again.`,
      file,
    );
  }
  const labels = ownCopy(raw, 8, n);
  if (numClasses !== undefined) {
    for (let i = 0; i < n; i++) {
      if (labels[i] >= numClasses) {
        throw new DataError(`${file}: label #${i} is ${labels[i]}, expected 0..${numClasses - 1}`, file);
      }
    }
  }
  return { n, labels };
}

/** Throws a DataError naming both files when the counts differ. */
export function assertSameCount(images: IdxImages, labels: IdxLabels, imagesFile: string, labelsFile: string): void {
  if (images.n !== labels.n) {
    throw new DataError(
      `image/label count mismatch: ${imagesFile} has ${images.n} images but ${labelsFile} has ${labels.n} labels; ` +
        `the files do not belong together (train vs t10k mixed up?)`,
      imagesFile,
    );
  }
}
