import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as crypto from 'node:crypto';
import { ScalarEncoder, ScalarTagEntry, type ScalarFormat } from '../../src/summary/scalar';
import { encodeMetadata } from '../../src/summary/metadata';
import { encodeEvent } from '../../src/events/encode-event';
import { SummaryWriter } from '../../src/summary/summary-writer';
import { BASE, TB_WRITER, decode, goldenFile, hex, records, tmpdir } from './helpers';
import { createRng } from '../../src/util/random';
import { GOLDEN_MANIFEST } from '../fixture-paths';

const ALPHABET = ['a', 'Z', '/', '_', '.', ' ', 'é', 'λ', '中', '😀', '-', '9'];

function randomTag(r: () => number): string {
  const kind = r();
  const len = kind < 0.1 ? 100 + Math.floor(r() * 200) : 1 + Math.floor(r() * 20);
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function randomStep(r: () => number): number | bigint {
  const k = r();
  if (k < 0.15) return 0;
  if (k < 0.4) return Math.floor(r() * 1000);
  if (k < 0.55) return Math.floor(r() * 2 ** 31) + 2 ** 31; // beyond int32
  if (k < 0.65) return Number.MAX_SAFE_INTEGER - Math.floor(r() * 10);
  if (k < 0.75) return BigInt(Math.floor(r() * 1e6));
  if (k < 0.85) return (1n << 63n) - 1n - BigInt(Math.floor(r() * 1000));
  if (k < 0.9) return 0n;
  return BigInt(Math.floor(r() * 2 ** 53)) * 1000n;
}

const SPECIAL = [NaN, -0, 0, Infinity, -Infinity, 1e-45, -3.4e38, 3.5e38, 1e-300, 0.1, 1 / 3];

function randomValue(r: () => number): number {
  if (r() < 0.3) return SPECIAL[Math.floor(r() * SPECIAL.length)];
  return (r() - 0.5) * 10 ** Math.floor(r() * 20 - 10);
}

function randomWallTime(r: () => number): number {
  const k = r();
  if (k < 0.05) return 0;
  if (k < 0.1) return -0;
  return BASE + r() * 1e6;
}

function reference(tag: string, format: ScalarFormat, meta: Record<string, unknown> | undefined, wallTime: number, step: number | bigint, value: number) {
  const v: Record<string, unknown> = { tag };
  if (format === 'tensor') v.tensor = { dtype: 1, tensor_shape: {}, float_val: [value] };
  else v.simple_value = value;
  if (meta) v.metadata = meta;
  return v;
}

function metaObj(description: string | undefined, dataClass: boolean): Record<string, unknown> {
  const m: Record<string, unknown> = { plugin_data: { plugin_name: 'scalars' } };
  if (description) m.summary_description = description;
  if (dataClass) m.data_class = 1;
  return m;
}

test('hand-encoded scalar events equal protobufjs bytes (random tags, steps, values)', () => {
  const r = createRng(42);
  const enc = new ScalarEncoder();
  for (let i = 0; i < 3000; i++) {
    const format: ScalarFormat = r() < 0.7 ? 'tensor' : 'simple_value';
    const description = r() < 0.3 ? randomTag(r) : undefined;
    const dataClass = r() < 0.5;
    const withMeta = r() < 0.5;
    const tag = randomTag(r);
    const step = randomStep(r);
    const value = randomValue(r);
    const wallTime = randomWallTime(r);
    const md = metaObj(description, dataClass);
    const entry = new ScalarTagEntry(tag, format, encodeMetadata({ pluginName: 'scalars', description, dataClass: 1 }, { when: 'first', dataClass }));
    const ours = enc.encode(entry, withMeta, wallTime, step, value);
    const theirs = encodeEvent({ wall_time: wallTime, step, summary: { value: [reference(tag, format, withMeta ? md : undefined, wallTime, step, value)] } });
    assert.equal(hex(ours), hex(theirs), `case ${i}: tag=${JSON.stringify(tag)} step=${step} value=${value} wall=${wallTime}`);
  }
});

test('hand-encoded multi-value (scalars) events equal protobufjs bytes', () => {
  const r = createRng(7);
  const enc = new ScalarEncoder();
  for (let i = 0; i < 500; i++) {
    const n = 1 + Math.floor(r() * 6);
    const entries: ScalarTagEntry[] = [];
    const withMeta: boolean[] = [];
    const vals: number[] = [];
    const refs: Record<string, unknown>[] = [];
    const step = randomStep(r);
    const wallTime = randomWallTime(r);
    for (let k = 0; k < n; k++) {
      const tag = randomTag(r);
      const wm = r() < 0.5;
      const v = randomValue(r);
      entries.push(new ScalarTagEntry(tag, 'tensor', encodeMetadata({ pluginName: 'scalars', dataClass: 1 }, { when: 'first', dataClass: true })));
      withMeta.push(wm);
      vals.push(v);
      refs.push(reference(tag, 'tensor', wm ? metaObj(undefined, true) : undefined, wallTime, step, v));
    }
    const ours = enc.encodeMany(entries, withMeta, wallTime, step, vals);
    const theirs = encodeEvent({ wall_time: wallTime, step, summary: { value: refs } });
    assert.equal(hex(ours), hex(theirs), `case ${i}`);
  }
});

test('reference example of tensorboard-format.md §1.1 (tensor scalar record)', () => {
  const enc = new ScalarEncoder();
  const entry = new ScalarTagEntry('loss', 'tensor', encodeMetadata({ pluginName: 'scalars', dataClass: 1 }, { when: 'first', dataClass: true }));
  const bytes = enc.encode(entry, true, 1700000000.5, 1, 0.5);
  // data 09 <f64> 10 01 2a 23 0a 21 0a 04 "loss" ... (field-number order: tensor 0x42 before metadata 0x4a)
  assert.equal(bytes.length, 0x30);
  const ev = decode(bytes);
  assert.equal(ev.summary.value[0].tensor.float_val[0], 0.5);
  assert.equal(ev.summary.value[0].metadata.data_class, 1);
});

test('SummaryWriter reproduces the golden scalar records of run_a and run_b (flavor tensorboard)', async () => {
  for (const [rel, base, extra] of [
    ['run_a/events.out.tfevents.1700000000.tbref.0.1', BASE, 0],
    ['run_b/events.out.tfevents.1700000100.tbref.0.2', BASE + 100, 0.05],
  ] as const) {
    const golden = records(goldenFile(rel));
    const dir = tmpdir();
    const w = new SummaryWriter(dir, { flavor: 'tensorboard', fileWallTime: base, writerName: TB_WRITER });
    for (let s = 0; s < 5; s++) {
      const wt = base + 10 + 1.5 * s;
      w.scalar('loss', 1 / (s + 1) + extra, s, { wallTime: wt, description: 'training loss' });
      w.scalar('accuracy', 0.1 * s + extra / 5, s, { wallTime: wt + 0.25 });
    }
    await w.close();
    const ours = records(w.path);
    assert.equal(hex(ours[0]), hex(golden[0]), 'file_version record');
    const goldenScalars = golden.filter((g) => {
      const v = decode(g).summary?.value?.[0];
      return v && (v.tag === 'loss' || v.tag === 'accuracy') && (decode(g).step ?? 0) < 5;
    });
    assert.equal(goldenScalars.length, 10);
    assert.deepEqual(ours.slice(1).map(hex), goldenScalars.map(hex));
    fs.rmSync(dir, { recursive: true });
  }
});

test('SummaryWriter reproduces the whole golden writer_api file (metadata always, data_class set)', async () => {
  const rel = 'writer_api/events.out.tfevents.1700000400.tbref.0.5';
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { metadata: 'always', fileWallTime: BASE + 400, writerName: TB_WRITER });
  [0.5, 1.5, 4.5].forEach((v, s) => w.scalar('writer_api/value', v, s, { wallTime: BASE + 400 + s, description: 'Writer.add_scalar' }));
  await w.close();
  const manifest = JSON.parse(fs.readFileSync(GOLDEN_MANIFEST, 'utf8'));
  const want = manifest.files.find((f: { path: string }) => f.path === rel).sha256;
  const got = crypto.createHash('sha256').update(fs.readFileSync(w.path)).digest('hex');
  assert.equal(got, want);
  assert.deepEqual(fs.readFileSync(w.path), fs.readFileSync(goldenFile(rel)));
  fs.rmSync(dir, { recursive: true });
});

test('simple_value scalars reproduce the golden legacy_v1 records', async () => {
  const golden = records(goldenFile('legacy_v1/events.out.tfevents.1700000300.tbref.0.4'));
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { scalarFormat: 'simple_value', fileWallTime: BASE + 300, writerName: TB_WRITER });
  for (let s = 0; s <= 40; s += 10) w.scalar('legacy/loss', 2 - s / 25, s, { wallTime: BASE + 300 + s });
  await w.close();
  assert.deepEqual(records(w.path).map(hex), golden.slice(0, 6).map(hex));
  fs.rmSync(dir, { recursive: true });
});

test('tbkit flavor: metadata (with data_class SCALAR) only on the first value of a tag', async () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { now: () => BASE });
  w.scalar('a', 1, 0);
  w.scalar('a', 2, 1);
  w.scalar('b', 3, 1, { displayName: 'Bee', description: 'b desc' });
  await w.close();
  const evs = records(w.path).slice(1).map(decode);
  assert.deepEqual(evs[0].summary.value[0].metadata, { plugin_data: { plugin_name: 'scalars' }, data_class: 1 });
  assert.equal(evs[1].summary.value[0].metadata, undefined);
  assert.deepEqual(evs[2].summary.value[0].metadata, { plugin_data: { plugin_name: 'scalars' }, display_name: 'Bee', summary_description: 'b desc', data_class: 1 });
  assert.equal(evs[2].summary.value[0].tensor.dtype, 1);
  fs.rmSync(dir, { recursive: true });
});

test('scalars() writes all tags in ONE event; NaN/Inf/-0 round-trip; bigint steps', async () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { now: () => BASE + 1 });
  w.scalars({ cost: 0.42, accuracy: 0.9, nan: NaN, inf: Infinity, ninf: -Infinity, nz: -0 }, 100);
  w.scalars(new Map([['cost', 0.5]]), 2n ** 60n);
  await w.close();
  const evs = records(w.path).slice(1).map(decode);
  assert.equal(evs.length, 2);
  const vals = evs[0].summary.value;
  assert.deepEqual(vals.map((v: any) => v.tag), ['cost', 'accuracy', 'nan', 'inf', 'ninf', 'nz']);
  assert.equal(evs[0].step, 100);
  assert.equal(vals[0].tensor.float_val[0], Math.fround(0.42));
  assert.ok(Number.isNaN(vals[2].tensor.float_val[0]));
  assert.equal(vals[3].tensor.float_val[0], Infinity);
  assert.equal(vals[4].tensor.float_val[0], -Infinity);
  assert.ok(Object.is(vals[5].tensor.float_val[0], -0));
  assert.equal(evs[1].summary.value[0].metadata, undefined, 'cost metadata already written');
  const raw = records(w.path)[2];
  // step 2^60 as varint
  const ev = (await import('../../src/proto')).T.Event.decode(raw) as any;
  assert.equal(BigInt(ev.step.toString()), 2n ** 60n);
  fs.rmSync(dir, { recursive: true });
});

test('Promise and duck-typed tensor values resolve in call order per tag, with the wall time of the call', async () => {
  const dir = tmpdir();
  let t = BASE;
  const w = new SummaryWriter(dir, { now: () => t++, fileWallTime: BASE });
  let release!: (v: number) => void;
  const slow = new Promise<number>((res) => { release = res; });
  const fakeTensor = (v: number) => ({ shape: [], dataSync: () => new Float32Array([v]), data: async () => new Float32Array([v]) });
  const syncOnlyTensor = { dataSync: () => [7] };
  w.scalar('x', slow, 0);                 // t = BASE
  w.scalar('x', 2, 1);                    // queued behind the slow one
  w.scalar('x', fakeTensor(3), 2);
  w.scalar('y', 10, 0);                   // other tag: not blocked
  w.scalar('x', 5n, 3);
  w.scalar('z', syncOnlyTensor, 0);
  w.scalars({ x: Promise.resolve(6), y: fakeTensor(11) }, 4);
  await new Promise((r) => setTimeout(r, 10));
  release(1);
  await w.flush();
  await w.close();
  const evs = records(w.path).slice(1).map(decode);
  const xs = evs.flatMap((e) => e.summary.value.filter((v: any) => v.tag === 'x').map((v: any) => [e.step ?? 0, v.tensor.float_val[0], e.wall_time]));
  assert.deepEqual(xs, [[0, 1, BASE], [1, 2, BASE + 1], [2, 3, BASE + 2], [3, 5, BASE + 4], [4, 6, BASE + 6]]);
  const y = evs.flatMap((e) => e.summary.value.filter((v: any) => v.tag === 'y').map((v: any) => v.tensor.float_val[0]));
  assert.deepEqual(y, [10, 11]);
  assert.equal(evs[0].summary.value[0].tag, 'y', 'y was written while x waited');
  fs.rmSync(dir, { recursive: true });
});

test('a rejected value is reported via onError, counted, and does not block the tag', async () => {
  const dir = tmpdir();
  const errors: Error[] = [];
  const w = new SummaryWriter(dir, { now: () => BASE, onError: (e) => errors.push(e) });
  w.scalar('x', Promise.reject(new Error('boom')), 0);
  w.scalar('x', Promise.resolve('nope' as unknown as number), 1);
  w.scalar('x', 3, 2);
  await w.close();
  assert.equal(w.valueErrors, 2);
  assert.match(errors[0].message, /boom/);
  assert.match(errors[1].message, /value must be/);
  const evs = records(w.path).slice(1).map(decode);
  assert.deepEqual(evs.map((e) => e.step), [2]);
  fs.rmSync(dir, { recursive: true });
});

test('argument errors name the argument, the received value and what is expected', () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir);
  assert.throws(() => w.scalar('', 1, 0), /SummaryWriter\.scalar: tag must be a non-empty string.*received ""/);
  assert.throws(() => w.scalar('a\0b', 1, 0), /tag must be/);
  assert.throws(() => w.scalar(5 as unknown as string, 1, 0), /tag must be.*received 5/);
  assert.throws(() => w.scalar('a', 1, -1), /step must be a finite non-negative integer.*received -1/);
  assert.throws(() => w.scalar('a', 1, 1.5), /step must be.*received 1\.5/);
  assert.throws(() => w.scalar('a', 1, NaN), /step.*received NaN/);
  assert.throws(() => w.scalar('a', 1, -2n), /step.*received -2n/);
  assert.throws(() => w.scalar('a', 1, 2n ** 63n), /step/);
  assert.throws(() => w.scalar('a', 'x' as unknown as number, 0), /value must be a number.*received "x"/);
  assert.throws(() => w.scalar('a', { dataSync: () => [1, 2] }, 0), /value must be a tensor with exactly one element.*2 elements/);
  assert.throws(() => w.scalars({}, 0), /values must be an object with at least one tag/);
  assert.throws(() => w.scalar('a', 1, 0, { wallTime: NaN }), /options\.wallTime must be a finite number/);
  void w.close();
  fs.rmSync(dir, { recursive: true });
});
