/**
 * The writer's scalar fast path (scalar-record-template.ts, record/crc-shift.ts) against the plain
 * one: a record written from a template must be byte-for-byte the record the record oracle frames
 * (CRCs by the crc-32 package) around the same Event bytes, for random tags, steps, values and
 * wall times, and EventFileWriter files must not depend on which path queued an event.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScalarRecordTemplate, ScalarRecordTemplates } from '../../src/events/scalar-record-template';
import { EventFileWriter } from '../../src/events';
import { shiftTable } from '../../src/record';
import { createRng } from '../../src/util';
import { writeRecordInto } from '../record/oracle';
import { plainData, varint } from './plain-scalar';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-fastrec-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function plainRecord(data: Buffer): Buffer {
  const out = Buffer.alloc(data.length + 16);
  writeRecordInto(out, 0, data);
  return out;
}

const STEP_EDGES = [1, 2, 127, 128, 129, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 35 - 1, 2 ** 35, 2 ** 42, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1];
const VALUE_EDGES = [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45, 3.4028234663852886e38, 3.5e38, -3.5e38, 1e-40, 0.1, 1 / 3, -2];

function randomStep(r: () => number): number {
  const k = r();
  if (k < 0.3) return STEP_EDGES[Math.floor(r() * STEP_EDGES.length)];
  if (k < 0.6) return 1 + Math.floor(r() * 300);
  return 1 + Math.floor(r() * 2 ** (1 + Math.floor(r() * 52)));
}

function randomValue(r: () => number): number {
  const k = r();
  if (k < 0.3) return VALUE_EDGES[Math.floor(r() * VALUE_EDGES.length)];
  if (k < 0.5) return new Float32Array(new Uint32Array([Math.floor(r() * 2 ** 32)]).buffer)[0]; // any bit pattern
  return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
}

function randomWall(r: () => number): number {
  const k = r();
  if (k < 0.2) return -1700000000.25; // a negative wall time is still a present field
  if (k < 0.3) return 5e-324;
  return 1700000000 + Math.floor(r() * 1e6) / 1000;
}

function randomSuffix(r: () => number, max: number): { suffix: Uint8Array; valueAt: number } {
  const len = 4 + Math.floor(r() * max);
  const suffix = new Uint8Array(len);
  for (let i = 0; i < len; i++) suffix[i] = Math.floor(r() * 256);
  return { suffix, valueAt: Math.floor(r() * (len - 3)) };
}

test('a template writes exactly the plain record (random suffixes, steps, values, walls, offsets)', () => {
  const r = createRng(11);
  const host = Buffer.alloc(4096);
  for (let c = 0; c < 300; c++) {
    const { suffix, valueAt } = randomSuffix(r, c % 10 === 0 ? 900 : 60);
    const templates = new Map<number, ScalarRecordTemplate>();
    let wall = randomWall(r);
    for (let i = 0; i < 40; i++) {
      const step = randomStep(r);
      const value = randomValue(r);
      if (r() < 0.3) wall = randomWall(r); // else the same wall time again: the template's cached wall CRC
      const k = varint(step).length;
      let t = templates.get(k);
      if (!t) templates.set(k, (t = new ScalarRecordTemplate(suffix, valueAt, k)));
      const want = plainRecord(plainData(suffix, valueAt, wall, step, value));
      host.fill(0xa5);
      const off = Math.floor(r() * 64); // unaligned offsets
      const view = new DataView(host.buffer, host.byteOffset, host.length);
      assert.equal(t.size, want.length);
      assert.equal(t.write(view, host, off, wall, step, value), off + want.length);
      const label = `case ${c}.${i}: step ${step} value ${value} wall ${wall} suffix ${suffix.length}@${valueAt}`;
      assert.equal(host.subarray(off, off + want.length).toString('hex'), want.toString('hex'), label);
      assert.ok(host.subarray(0, off).every((b) => b === 0xa5) && host.subarray(off + want.length).every((b) => b === 0xa5), `${label}: wrote outside the record`);
    }
  }
});

test('a template made before the shift table grew still writes correct records', () => {
  const r = createRng(5);
  const small = randomSuffix(r, 10);
  const a = new ScalarRecordTemplate(small.suffix, small.valueAt, 1);
  const big = randomSuffix(r, 10);
  const long = new Uint8Array(1000);
  long.set(big.suffix);
  shiftTable(1200); // grows the shared table past both
  const b = new ScalarRecordTemplate(long, big.valueAt, 3);
  const host = Buffer.alloc(2000);
  const view = new DataView(host.buffer, host.byteOffset, host.length);
  for (const [t, sfx, at, step] of [[a, small.suffix, small.valueAt, 5], [b, long, big.valueAt, 20000], [a, small.suffix, small.valueAt, 6]] as const) {
    const want = plainRecord(plainData(sfx, at, 1700000000.5, step, 0.25));
    t.write(view, host, 0, 1700000000.5, step, 0.25);
    assert.equal(host.subarray(0, want.length).toString('hex'), want.toString('hex'));
  }
});

test('ScalarRecordTemplates: one template per varint length, across boundaries in any order; too long → undefined', () => {
  const r = createRng(8);
  const { suffix, valueAt } = randomSuffix(r, 30);
  const ts = new ScalarRecordTemplates(suffix, valueAt);
  const host = Buffer.alloc(200);
  const view = new DataView(host.buffer, host.byteOffset, host.length);
  const seen = new Map<number, ScalarRecordTemplate>();
  for (let i = 0; i < 3000; i++) {
    const step = r() < 0.5 ? STEP_EDGES[Math.floor(r() * STEP_EDGES.length)] : randomStep(r);
    const t = ts.get(step)!;
    const k = varint(step).length;
    if (seen.has(k)) assert.equal(t, seen.get(k), `step ${step}: same template for the same length`);
    seen.set(k, t);
    const want = plainRecord(plainData(suffix, valueAt, 1700000000.125, step, 1.5));
    assert.equal(t.size, want.length, `step ${step}`);
    t.write(view, host, 0, 1700000000.125, step, 1.5);
    assert.equal(host.subarray(0, want.length).toString('hex'), want.toString('hex'), `step ${step}`);
  }
  assert.equal(new ScalarRecordTemplates(new Uint8Array(1020), 0).get(1), undefined);
  assert.ok(new ScalarRecordTemplates(new Uint8Array(1013), 0).get(1) !== undefined);
  assert.equal(new ScalarRecordTemplates(new Uint8Array(1013), 0).get(2 ** 53 - 1), undefined);
});

test('EventFileWriter: writeScalarRecord and writeEventBytes interleave into the same bytes as writeEventBytes alone', async () => {
  const r = createRng(21);
  const kinds = [0, 1, 2].map(() => randomSuffix(r, 40));
  const templates = kinds.map((k) => new ScalarRecordTemplates(k.suffix, k.valueAt));
  type Op = { kind: number; wall: number; step: number; value: number } | { big: Buffer };
  const ops: Op[] = [];
  let wall = 1700000000;
  for (let i = 0; i < 60000; i++) {
    if (i === 30000 || i === 45000) {
      // a 5 MB event: the pending buffer grows past SHRINK_ABOVE and is replaced after the batch
      const big = Buffer.alloc(5 * 1024 * 1024 + i);
      for (let j = 0; j < big.length; j += 4096) big[j] = j & 0xff;
      ops.push({ big });
      continue;
    }
    if (r() < 0.1) wall += 0.001;
    ops.push({ kind: Math.floor(r() * 3), wall, step: randomStep(r), value: randomValue(r) });
  }
  const files: string[] = [];
  for (const fast of [true, false]) {
    const w = new EventFileWriter(path.join(tmp, fast ? 'fast' : 'plain'), { fileWallTime: 1700000000, maxQueue: 7 });
    let n = 0;
    for (const op of ops) {
      if ('big' in op) w.writeEventBytes(op.big);
      else if (fast && n++ % 5 !== 0) w.writeScalarRecord(templates[op.kind].get(op.step)!, op.wall, op.step, op.value);
      else w.writeEventBytes(plainData(kinds[op.kind].suffix, kinds[op.kind].valueAt, op.wall, op.step, op.value));
      if (n % 20011 === 0) await w.flush();
    }
    await w.close();
    files.push(w.path);
  }
  const [a, b] = files.map((f) => fs.readFileSync(f));
  assert.equal(a.length, b.length);
  assert.ok(a.equals(b), 'files differ');
});

test('EventFileWriter.writeScalarRecord: closed writer throws; after an I/O error events are dropped (counted), strict throws', async () => {
  const { suffix, valueAt } = randomSuffix(createRng(2), 20);
  const t = new ScalarRecordTemplates(suffix, valueAt).get(1)!;
  const w = new EventFileWriter(path.join(tmp, 'closed'), { fileWallTime: 1700000000 });
  await w.close();
  assert.throws(() => w.writeScalarRecord(t, 1700000000, 1, 1), /closed/);

  // The same failure through both paths: the same drops, rejections and single report.
  const failing = { writeSync: () => { throw Object.assign(new Error('no space'), { code: 'ENOSPC' }); } };
  const outcome: unknown[] = [];
  for (const fast of [true, false]) {
    const errors: Error[] = [];
    const w2 = new EventFileWriter(path.join(tmp, `full-${fast}`), { fileWallTime: 1700000000, fsImpl: failing, onError: (e) => errors.push(e) });
    const put = (step: number) => fast ? w2.writeScalarRecord(t, 1700000000, step, 1) : w2.writeEventBytes(plainData(suffix, valueAt, 1700000000, step, 1));
    put(1);
    const flushed = await w2.flush().then(() => 'ok', (e: Error) => (e as NodeJS.ErrnoException).code);
    put(2);
    const closed = await w2.close().then(() => 'ok', (e: Error) => (e as NodeJS.ErrnoException).code);
    await new Promise((resolve) => setImmediate(resolve)); // errors are reported on the next tick
    outcome.push({ flushed, closed, dropped: w2.droppedEvents, errors: errors.length });
  }
  assert.deepEqual(outcome[0], outcome[1]);
  assert.deepEqual(outcome[0], { flushed: 'ENOSPC', closed: 'ENOSPC', dropped: 3, errors: 1 });

  const strict = new EventFileWriter(path.join(tmp, 'full-strict'), { fileWallTime: 1700000000, fsImpl: failing, strict: true, onError: () => {} });
  assert.throws(() => strict.writeScalarRecord(t, 1700000000, 1, 1), /ENOSPC/);
});
