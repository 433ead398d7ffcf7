/**
 * readRun's fast paths (hand decoder, tag guess and cache, column stores, chunked scan) against its
 * protobufjs path: the same random runs are written twice, the second time with an unknown field
 * appended to every Event (ignored by protobufjs, refused by the hand decoder), so every event of the
 * second copy takes the general path. Both must read back identically, also with records split
 * across read chunks.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventFileWriter, readRun, readRunColumns, type RunData, type RunColumnsData } from '../../src/events';
import { readRunColumnsChunked } from '../../src/events/runs/read-run';
import { T, SessionStatus } from '../../src/proto';
import { createRng } from '../../src/util';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-runfast-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

/** Field 100, varint 1: unknown to tensorboard.Event. */
const UNKNOWN_FIELD = [0xa0, 0x06, 0x01];

const TAGS = ['loss', 'accuracy', 'lr', '', 'é/λ/中/😀', 'g'.repeat(200) /* multi-byte lengths */, 'a/b/c', 'hist-then-scalar'];
const VALUES = [NaN, Infinity, -Infinity, -0, 0, 1e-45, 3.4e38, 0.1, -2.5];

function encode(obj: Record<string, unknown>): Uint8Array {
  return T.Event.encode(T.Event.fromObject(obj)).finish();
}

function randomEvents(seed: number, n: number): Uint8Array[] {
  const r = createRng(seed);
  const out: Uint8Array[] = [];
  let step = 0;
  const order = Array.from({ length: 2 + Math.floor(r() * 4) }, () => TAGS[Math.floor(r() * TAGS.length)]);
  out.push(encode({ wall_time: 1, step: 0, summary: { value: [{ tag: 'hist-then-scalar', histo: { min: 0, max: 1, num: 1, bucket_limit: [1], bucket: [1] } }] } }));
  for (let i = 0; i < n; i++) {
    const k = r();
    if (i % order.length === 0) {
      step = k < 0.03 ? Math.max(0, step - Math.floor(r() * 20)) // out of order (purges) or equal (duplicates)
        : step + 1 + Math.floor(r() * (k < 0.5 ? 3 : 300));
    }
    const wall = 1700000000 + i / 1000;
    const j = r();
    if (j < 0.004) { // a restart at a recent step (now and then a negative one: purges everything)
      out.push(encode({ wall_time: wall, step: r() < 0.1 ? -Math.floor(r() * 3) : Math.max(0, step - Math.floor(r() * 30)), session_log: { status: SessionStatus.START } }));
      continue;
    }
    if (j < 0.04) {
      out.push(encode({ wall_time: wall, step, summary: { value: [{ tag: 'w', histo: { min: 0, max: 1, num: 1, bucket_limit: [1], bucket: [1] } }] } }));
      continue;
    }
    if (j < 0.06) { // extreme steps on their own tags (a huge step would purge a tag's history)
      const big = r() < 0.5;
      const st = big ? (r() < 0.5 ? 2 ** 53 - 1 - Math.floor(r() * 3) : (1n << 54n) + BigInt(i)) : -1 - Math.floor(r() * 5);
      out.push(encode({ wall_time: wall, step: st, summary: { value: [{ tag: big ? 'huge' : 'negative', simple_value: i }] } }));
      continue;
    }
    const tag = order[i % order.length];
    const value = r() < 0.2 ? VALUES[Math.floor(r() * VALUES.length)] : (r() - 0.5) * 100;
    const kind = r();
    const v: Record<string, unknown> = kind < 0.4
      ? { tag, simple_value: value }
      : { tag, tensor: { dtype: 1, tensor_shape: {}, float_val: [value] }, metadata: r() < 0.5 ? { plugin_data: { plugin_name: 'scalars' }, data_class: 1 } : undefined };
    if (kind >= 0.4 && r() < 0.2) v.tensor = { dtype: 1, tensor_shape: {}, tensor_content: Buffer.from(new Float32Array([value]).buffer) };
    out.push(encode({ wall_time: r() < 0.02 ? 0 : wall, step, summary: { value: [v] } }));
  }
  return out;
}

async function writeRun(name: string, events: Uint8Array[], files: number, slow: boolean): Promise<string[]> {
  const dir = path.join(tmp, name);
  const writers = Array.from({ length: files }, (_, i) => new EventFileWriter(dir, { fileWallTime: 1700000000 + i, filenameSuffix: `.${i}` }));
  events.forEach((e, i) => {
    const w = writers[Math.floor((i * files) / events.length)];
    w.writeEventBytes(slow ? Buffer.concat([e, Buffer.from(UNKNOWN_FIELD)]) : e);
  });
  for (const w of writers) await w.close();
  return writers.map((w) => w.path);
}

function withoutFiles<T extends RunData | RunColumnsData>(d: T): Omit<T, 'files'> & { fileRecords: number[] } {
  const { files, ...rest } = d;
  return { ...rest, fileRecords: files.map((f) => f.records) };
}

function columnsAsPoints(d: RunColumnsData): RunData {
  const scalars = new Map([...d.scalars].map(([tag, c]) => [tag, Array.from({ length: c.length }, (_, i) => ({ step: c.steps[i], wallTime: c.wallTimes[i], value: c.values[i] }))]));
  return { ...d, scalars };
}

test('fast path = protobufjs path on random runs (purges, duplicates, negative and huge steps, odd tags, several files)', async () => {
  let purged = 0, duplicates = 0, points = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const events = randomEvents(seed, 3000);
    const files = 1 + (seed % 3);
    const fast = await writeRun(`fast${seed}`, events, files, false);
    const slow = await writeRun(`slow${seed}`, events, files, true);
    const a = readRun(fast), b = readRun(slow);
    assert.deepEqual(a.problems, []);
    assert.deepEqual(withoutFiles(a), withoutFiles(b), `seed ${seed}`);
    purged += a.purged.length;
    duplicates += a.duplicates.length;
    for (const p of a.scalars.values()) points += p.length;
    const c = readRunColumns(fast);
    assert.deepEqual(withoutFiles(columnsAsPoints(c)), withoutFiles(a), `seed ${seed}: columns`);
  }
  assert.ok(purged > 100 && duplicates > 10 && points > 5000, `the runs exercise the purge rules: ${purged} purged, ${duplicates} duplicates, ${points} points`);
});

test('records split across read chunks: same result for any chunk size', async () => {
  const events = randomEvents(77, 1500);
  const files = await writeRun('chunks', events, 2, false);
  const want = withoutFiles(readRunColumns(files));
  for (const chunk of [16, 17, 40, 63, 100, 257, 1000, 4099]) {
    assert.deepEqual(withoutFiles(readRunColumnsChunked(files, chunk)), want, `chunk ${chunk}`);
  }
});

test('a run of one tag, and a run where every event has another tag, read the same both ways', async () => {
  const one: Uint8Array[] = [], many: Uint8Array[] = [];
  for (let i = 1; i <= 600; i++) {
    one.push(encode({ wall_time: 1700000000 + i, step: i, summary: { value: [{ tag: 'only', simple_value: i / 7 }] } }));
    many.push(encode({ wall_time: 1700000000 + i, step: i % 50, summary: { value: [{ tag: `t${(i * 7919) % 397}`, simple_value: i }] } }));
  }
  for (const [name, evs] of [['one', one], ['many', many]] as const) {
    const a = readRun(await writeRun(`${name}-f`, evs, 1, false));
    const b = readRun(await writeRun(`${name}-s`, evs, 1, true));
    assert.deepEqual(withoutFiles(a), withoutFiles(b), name);
  }
});
