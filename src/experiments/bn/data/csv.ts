/**
 * Reader for the Kaggle "Digit Recognizer" CSV files.
 *
 * train.csv: a header `label,pixel0,...,pixel783`, then one row per image of
 * 785 integers (label 0–9, then 784 pixels 0–255, row-major 28×28).
 * test.csv has the same layout without the label column; it cannot be used
 * for training (no labels) and is rejected with an explanatory error.
 *
 * The file (~73 MB for train.csv) is streamed in 1 MiB chunks and parsed byte
 * by byte; every error names the file and the 1-based line number.
 * Tolerated: a UTF-8 BOM, CRLF line endings, quoted header names, spaces
 * around values, blank lines.
 */
import { createReadStream } from 'fs';
import { DataError, NUM_CLASSES, type ImageDataset } from './dataset';

const HEIGHT = 28;
const WIDTH = 28;
const PIXELS = HEIGHT * WIDTH;
const COLUMNS = PIXELS + 1;

export interface ReadCsvOptions {
  /** Stop after this many data rows (the first N images of the file). */
  limit?: number;
}

/** Yields the lines of a file (without the newline) with their 1-based numbers. */
async function* readLines(file: string): AsyncGenerator<{ line: Buffer; lineNo: number }> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let carry: Buffer | undefined;
  let lineNo = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      let nl: number;
      while ((nl = buf.indexOf(10, start)) !== -1) {
        yield { line: buf.subarray(start, nl), lineNo: ++lineNo };
        start = nl + 1;
      }
      carry = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new DataError(`${file}: file not found`, file);
    if (err.code === 'EISDIR') throw new DataError(`${file}: is a directory, expected a CSV file`, file);
    throw new DataError(`${file}: cannot read (${err.message})`, file);
  } finally {
    stream.destroy();
  }
  if (carry && carry.length > 0) yield { line: carry, lineNo: ++lineNo };
}

function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

function countFields(line: Buffer): number {
  let n = 1;
  let i = -1;
  while ((i = line.indexOf(44, i + 1)) !== -1) n++;
  return n;
}

function columnName(col: number): string {
  return col === 0 ? 'label' : `pixel${col - 1}`;
}

function fieldText(line: Buffer, start: number, end: number): string {
  const s = line.subarray(start, end).toString('latin1').trim();
  return s.length > 24 ? `${s.slice(0, 24)}...` : s;
}

/** Checks the header line; returns nothing or throws. */
function checkHeader(file: string, line: Buffer, lineNo: number): void {
  let text = line.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const names = text.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase());
  const where = `${file}:${lineNo}`;
  if (/^-?\d+(\.\d*)?$/.test(names[0] ?? '')) {
    throw new DataError(
      `${where}: missing header: the first line holds numbers, expected the header "label,pixel0,...,pixel783"`,
      file,
    );
  }
  if (names[0] === 'pixel0' && names.length === PIXELS) {
    throw new DataError(
      `${where}: the header has no "label" column (784 pixel columns only): this looks like Kaggle's test.csv, ` +
        `which has no labels and cannot be used for training; use train.csv`,
      file,
    );
  }
  if (names[0] !== 'label') {
    throw new DataError(`${where}: unexpected header: first column is "${names[0]}", expected "label" (header "label,pixel0,...,pixel783")`, file);
  }
  if (names.length !== COLUMNS) {
    throw new DataError(`${where}: header has ${names.length} columns, expected ${COLUMNS} ("label,pixel0,...,pixel783")`, file);
  }
  for (let c = 1; c < COLUMNS; c++) {
    if (names[c] !== columnName(c)) {
      throw new DataError(`${where}: header column ${c + 1} is "${names[c]}", expected "${columnName(c)}"`, file);
    }
  }
}

/**
 * Parses one data row into `images[row*784 ...]` and `labels[row]`.
 * Throws a DataError naming file, line and column on any problem.
 */
function parseRow(file: string, line: Buffer, lineNo: number, images: Uint8Array, labels: Uint8Array, row: number): void {
  const fields = countFields(line);
  if (fields !== COLUMNS) {
    throw new DataError(
      `${file}:${lineNo}: wrong column count: ${fields} values, expected ${COLUMNS} (label + 784 pixels)`,
      file,
    );
  }
  let pos = 0;
  const len = line.length;
  const base = row * PIXELS;
  for (let col = 0; col < COLUMNS; col++) {
    const start = pos;
    // skip leading spaces
    while (pos < len && (line[pos] === 0x20 || line[pos] === 0x09)) pos++;
    let neg = false;
    if (pos < len && line[pos] === 0x2d /* - */) {
      neg = true;
      pos++;
    }
    let value = 0;
    let digits = 0;
    while (pos < len) {
      const c = line[pos];
      if (c >= 0x30 && c <= 0x39) {
        if (value < 1e6) value = value * 10 + (c - 0x30);
        digits++;
        pos++;
      } else break;
    }
    while (pos < len && (line[pos] === 0x20 || line[pos] === 0x09 || line[pos] === 0x0d)) pos++;
    const atEnd = pos === len;
    if (digits === 0 || (!atEnd && line[pos] !== 0x2c)) {
      let end = line.indexOf(44, pos);
      if (end === -1) end = len;
      const text = fieldText(line, start, end);
      throw new DataError(
        `${file}:${lineNo}: column ${col + 1} (${columnName(col)}): "${text}" is not an integer`,
        file,
      );
    }
    if (col === 0) {
      if (neg || value >= NUM_CLASSES) {
        throw new DataError(`${file}:${lineNo}: label ${fieldText(line, start, pos)} is not a digit 0-9`, file);
      }
      labels[row] = value;
    } else {
      if (neg || value > 255) {
        throw new DataError(
          `${file}:${lineNo}: column ${col + 1} (${columnName(col)}): value ${fieldText(line, start, pos)} is out of range 0-255`,
          file,
        );
      }
      images[base + col - 1] = value;
    }
    pos++; // skip the comma
  }
}

/**
 * Streams a Kaggle Digit Recognizer train.csv into an {@link ImageDataset}
 * (28×28, raw 0–255). `limit` stops reading after the first N data rows.
 */
export async function readDigitCsv(file: string, options: ReadCsvOptions = {}): Promise<ImageDataset> {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
  let capacity = Math.min(limit ?? 4096, 4096);
  let images = new Uint8Array(capacity * PIXELS);
  let labels = new Uint8Array(capacity);
  let n = 0;
  let sawHeader = false;
  for await (const { line, lineNo } of readLines(file)) {
    if (!sawHeader) {
      if (isBlank(line)) continue;
      checkHeader(file, line, lineNo);
      sawHeader = true;
      continue;
    }
    if (isBlank(line)) continue;
    if (n === capacity) {
      capacity *= 2;
      const im = new Uint8Array(capacity * PIXELS);
      im.set(images);
      images = im;
      const lb = new Uint8Array(capacity);
      lb.set(labels);
      labels = lb;
    }
    parseRow(file, line, lineNo, images, labels, n);
    n++;
    if (limit !== undefined && n >= limit) break;
  }
  if (!sawHeader) throw new DataError(`${file}: empty file: missing header "label,pixel0,...,pixel783"`, file);
  if (n === 0) throw new DataError(`${file}: no data rows after the header`, file);
  return {
    images: n === capacity ? images : images.slice(0, n * PIXELS),
    labels: n === capacity ? labels : labels.slice(0, n),
    n,
    height: HEIGHT,
    width: WIDTH,
  };
}
