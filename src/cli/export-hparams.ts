/**
 * The hparam names of a set of event files, for the CSV export's header, which must be written
 * before the first run is streamed. A run's hparams live in its `_hparams_/session_start_info`
 * record, usually among the first records of a file, but it may be anywhere; so a raw byte search
 * over each whole file (memchr speed, no framing, no CRCs) finds where the tag last occurs, and
 * records are read only up to there, in small chunks: a file's scalars after its hparams are never
 * framed or checked twice.
 */
import * as fs from 'node:fs';
import { decodeEvent, decodeHParamsPluginData } from '../events';
import { iterateRecordFile } from '../record';

const NEEDLE = Buffer.from('session_start_info');
/** Read chunk for the record pass: it usually ends within the first chunk. */
const RECORD_CHUNK = 64 * 1024;

export function scanHparamNames(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const last = lastOffsetOf(file, NEEDLE);
    if (last < 0) continue;
    for (const rec of iterateRecordFile(file, undefined, { chunkSize: RECORD_CHUNK })) {
      if (rec.offset > last) break;
      if (rec.data.indexOf(NEEDLE) < 0) continue;
      try {
        const ev = decodeEvent(rec.data);
        for (const v of ev.summary?.value ?? []) {
          const content = v.metadata?.plugin_data?.plugin_name === 'hparams' ? v.metadata.plugin_data.content : undefined;
          if (!content) continue;
          for (const k of Object.keys(decodeHParamsPluginData(content).session_start_info?.hparams ?? {})) names.add(k);
        }
      } catch {
        // undecodable: the export's reader reports it
      }
    }
  }
  return names;
}

/** File offset of the last occurrence of `needle` in `file`, or -1. */
export function lastOffsetOf(file: string, needle: Buffer): number {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = 4 << 20;
    const buf = Buffer.allocUnsafe(chunk + needle.length);
    let last = -1;
    let pos = 0; // file offset of buf[0]
    let carry = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, carry, chunk, pos + carry);
      if (n <= 0) return last;
      const have = carry + n;
      const view = buf.subarray(0, have);
      for (let i = view.indexOf(needle); i >= 0; i = view.indexOf(needle, i + 1)) last = pos + i;
      carry = Math.min(needle.length - 1, have);
      buf.copy(buf, 0, have - carry, have);
      pos += have - carry;
    }
  } finally {
    fs.closeSync(fd);
  }
}
