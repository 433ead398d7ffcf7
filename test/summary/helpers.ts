import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRecordsFromBuffer } from '../../src/record';
import { T } from '../../src/proto';

import { GOLDEN, GOLDEN_LOGDIR } from '../fixture-paths';

export { GOLDEN, GOLDEN_LOGDIR };
export const BASE = 1700000000;
export const TB_WRITER = 'tensorboard.summary.writer.event_file_writer';

export function tmpdir(prefix = 'tbkit-summary-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function records(file: string): Buffer[] {
  const { records: recs, problems } = readRecordsFromBuffer(fs.readFileSync(file), file);
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  return recs.map((r) => Buffer.from(r.data));
}

export function decode(data: Uint8Array): Record<string, any> {
  return T.Event.toObject(T.Event.decode(data), { longs: Number, defaults: false }) as Record<string, any>;
}

export function goldenFile(rel: string): string {
  return path.join(GOLDEN_LOGDIR, rel);
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
