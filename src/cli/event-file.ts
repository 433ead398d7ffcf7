/**
 * One event file given where a logdir is expected (`inspect`, `export`, `compare FILE`): a run of
 * that one file, named after it. A file that is not an event file (a CSV, a checkpoint, a PNG) is
 * reported as such, and not as the CRC error at offset 0 that reading it as TFRecords would give.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeEvent, type RunInfo } from '../events';
import { maskedCrc32c } from '../record';
import { UsageError } from './errors';

/** TFRecord framing: u64 length, u32 masked CRC-32C of the length, data, u32 masked CRC of the data. */
const HEADER = 12;
/** A first record (the file_version event) is tens of bytes: a larger claimed length is not an event file's. */
const FIRST_RECORD_MAX = 1 << 20;

export function eventFileRun(file: string): RunInfo {
  const why = whyNotAnEventFile(file);
  if (why) throw new UsageError(`${file} is not a TensorBoard event file: ${why}`);
  return { name: path.basename(file), dir: path.dirname(file), files: [file] };
}

/**
 * Undefined for an event file, else the reason. A file named *tfevents* is one, whatever it holds
 * (a corrupt one gets the readers' problems with their offsets, as inside a logdir); any other file
 * must start with a TFRecord whose data is a tensorboard.Event.
 */
function whyNotAnEventFile(file: string): string | undefined {
  if (path.basename(file).includes('tfevents')) return undefined;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(HEADER);
    const n = fs.readSync(fd, head, 0, HEADER, 0);
    if (n < HEADER) return n === 0 ? 'it is empty' : `its ${n} bytes are shorter than one record header`;
    if (maskedCrc32c(head.subarray(0, 8)) !== head.readUInt32LE(8)) {
      return 'its first bytes are not a TFRecord header (the length CRC does not match)';
    }
    const length = head.readBigUInt64LE(0);
    if (length > BigInt(FIRST_RECORD_MAX)) return `its first record claims ${length} bytes`;
    const data = Buffer.alloc(Number(length));
    const got = fs.readSync(fd, data, 0, data.length, HEADER);
    if (got < data.length) return `its first record is cut short (${got} of ${length} bytes)`;
    try {
      decodeEvent(data);
    } catch {
      return 'its first record is a TFRecord but not a tensorboard.Event';
    }
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
