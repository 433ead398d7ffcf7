/**
 * scalar()'s steady path with its caches — the template's cached wall-time CRC, the step bytes and
 * value CRC computed per record, and EventFileWriter's slot reuse (a record's constant bytes left in
 * the pending buffer by an earlier batch) — must write the bytes of the general path (ScalarEncoder
 * + a full CRC of every record) for long random sequences that cross many 1 MB batches: tag order
 * changes, step changes (0, 2^53-1, bigints), wall times that stay and change (and 0), NaN/±Inf/-0,
 * other events in between, flushes at random points, events big enough to grow the buffer.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter, type SummaryWriterOptions } from '../../src/summary/summary-writer';
import { ScalarRecordTemplate, ScalarRecordTemplates } from '../../src/events/scalar-record-template';
import { EventFileWriter } from '../../src/events';
import { BASE, records, tmpdir } from './helpers';
import { createRng } from '../../src/util/random';
import { plainData as plainEventData } from '../events/plain-scalar';

type Op =
  | { kind: 'scalar'; tag: string; value: number; step: number | bigint; wallTime?: number }
  | { kind: 'text'; tag: string; step: number; size: number }
  | { kind: 'flush' };

const TAGS = ['loss', 'accuracy', 'learning_rate', 'grad_norm', 'val/loss', 'é/λ', 'a'];
const VALUES = [NaN, Infinity, -Infinity, -0, 0, 1e-45, 3.5e38];

/** A training-loop-like sequence with perturbations; `n` scalar calls. */
function sequence(seed: number, n: number, perturb: number): Op[] {
  const r = createRng(seed);
  const ops: Op[] = [];
  let order = [0, 1, 2, 3];
  let step = 1;
  for (let i = 0; i < n; i++) {
    const pos = i % order.length;
    if (pos === 0) {
      step = step >= 2 ** 53 - 2 ? 1 : step + 1;
      if (r() < perturb) {
        const k = r();
        step = k < 0.2 ? 0 : k < 0.4 ? 2 ** 53 - 1 - Math.floor(r() * 3) : k < 0.6 ? 2 ** 31 + Math.floor(r() * 1e6) : k < 0.8 ? 127 + Math.floor(r() * 3) : 16383 + Math.floor(r() * 3);
      }
      if (r() < perturb) order = Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * TAGS.length));
      if (r() < perturb / 4) ops.push({ kind: 'text', tag: 'notes', step: i, size: r() < 0.01 ? 2_500_000 : 10 });
      if (r() < perturb / 4) ops.push({ kind: 'flush' });
    }
    const k = r();
    const value = k < perturb ? VALUES[Math.floor(r() * VALUES.length)] : (r() - 0.5) * 10 ** Math.floor(r() * 10 - 5);
    const big = r() < perturb / 2;
    const op: Op = { kind: 'scalar', tag: TAGS[order[pos]], value, step: big ? BigInt(step) : step };
    if (r() < perturb / 4) op.wallTime = r() < 0.5 ? 0 : BASE + r();
    ops.push(op);
  }
  return ops;
}

async function write(ops: Op[], opts: SummaryWriterOptions, seed: number, zeroWalls = true): Promise<Buffer> {
  const dir = tmpdir();
  const r = createRng(seed);
  let t = BASE + 0.5;
  // A coarse-clock-like wall time: the same value for long runs of calls, sometimes 0 (no field:
  // the general path).
  const now = (): number => (zeroWalls && r() < 0.0005 ? 0 : r() < 0.002 ? (t += 0.001) : t);
  const w = new SummaryWriter(dir, { ...opts, now, fileWallTime: BASE });
  for (const op of ops) {
    if (op.kind === 'scalar') w.scalar(op.tag, op.value, op.step, op.wallTime === undefined ? undefined : { wallTime: op.wallTime });
    else if (op.kind === 'text') w.text(op.tag, 'x'.repeat(op.size), op.step);
    else void w.flush();
  }
  await w.close();
  const bytes = fs.readFileSync(w.path);
  fs.rmSync(dir, { recursive: true });
  return bytes;
}

/** The file through the steady path, and through the general path (every template lookup misses). */
async function bothWays(ops: Op[], opts: SummaryWriterOptions, seed: number, zeroWalls = true): Promise<[Buffer, Buffer]> {
  const fast = await write(ops, opts, seed, zeroWalls);
  const get = ScalarRecordTemplates.prototype.get;
  ScalarRecordTemplates.prototype.get = () => undefined;
  try {
    return [fast, await write(ops, opts, seed, zeroWalls)];
  } finally {
    ScalarRecordTemplates.prototype.get = get;
  }
}

function assertSame(fast: Buffer, plain: Buffer, label: string): void {
  if (fast.equals(plain)) return;
  let i = 0;
  while (i < fast.length && fast[i] === plain[i]) i++;
  assert.fail(`${label}: files differ at byte ${i} of ${fast.length} / ${plain.length}`);
}

for (const [name, opts] of [
  ['tbkit flavor', {}],
  ['tensorboard flavor (metadata on every event)', { flavor: 'tensorboard' }],
  ['simple_value', { scalarFormat: 'simple_value' }],
] as Array<[string, SummaryWriterOptions]>) {
  test(`steady path = general path over many batches, random perturbations: ${name}`, async () => {
    for (const [seed, perturb] of [[1, 0.002], [2, 0.02], [3, 0.2]] as const) {
      const ops = sequence(seed * 31 + name.length, 120_000, perturb);
      const [fast, plain] = await bothWays(ops, opts, seed);
      assertSame(fast, plain, `seed ${seed} perturb ${perturb}`);
      records(writeTmp(fast)); // every record's length and data CRC check out (throws otherwise)
    }
  });
}

function writeTmp(bytes: Buffer): string {
  const dir = tmpdir();
  const f = path.join(dir, 'events.out.tfevents.x');
  fs.writeFileSync(f, bytes);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return f;
}

test('a periodic loop reuses its slots: templates are copied in the first two batches only', async () => {
  const copyTo = ScalarRecordTemplate.prototype.copyTo;
  let copies = 0;
  ScalarRecordTemplate.prototype.copyTo = function (this: ScalarRecordTemplate, buf: Uint8Array, off: number) {
    copies++;
    copyTo.call(this, buf, off);
  };
  let fast: Buffer;
  const n = 200_000; // ~11 MB: ~10 batches of 1 MB
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) ops.push({ kind: 'scalar', tag: TAGS[i & 3], value: Math.sin(i), step: 20_000 + (i >> 2) });
  try {
    fast = await write(ops, {}, 9, false);
  } finally {
    ScalarRecordTemplate.prototype.copyTo = copyTo;
  }
  // One batch is ~19 000 records. The first batch starts with an event that is not a scalar record
  // (the first value of a tag carries its metadata), so the second cannot line up with it either;
  // from the third on every slot is reused. (Any other event, e.g. a histogram, makes the rest of
  // its batch copy again: slots are found by offset.)
  assert.ok(copies > 0 && copies < 40_000, `${copies} template copies for ${n} scalars`);
  const [, plain] = await bothWays(ops, {}, 9, false);
  assertSame(fast, plain, 'periodic');
  assert.equal(records(writeTmp(fast)).length, n + 1);
});

test('EventFileWriter: reused slots stay correct around other events, flushes and buffer growth', async () => {
  const r = createRng(77);
  const suffixes = [0, 1, 2, 3].map((k) => {
    const s = new Uint8Array(6 + k * 5);
    for (let i = 0; i < s.length; i++) s[i] = Math.floor(r() * 256);
    return { suffix: s, valueAt: 1 + k };
  });
  const templates = suffixes.map((s) => new ScalarRecordTemplates(s.suffix, s.valueAt));
  const plainData = (k: number, wall: number, step: number, value: number): Buffer =>
    plainEventData(suffixes[k].suffix, suffixes[k].valueAt, wall, step, value);
  type W = { k: number; wall: number; step: number; value: number } | { bytes: Buffer } | 'flush';
  const ops: W[] = [];
  let wall = BASE;
  let step = 100;
  let period = 4;
  for (let i = 0; i < 150_000; i++) {
    if (i % period === 0) {
      step++;
      if (r() < 0.001) period = 1 + Math.floor(r() * 4);
      if (r() < 0.001) step = 16_380; // varint length changes
      if (r() < 0.0005) ops.push({ bytes: Buffer.alloc(r() < 0.5 ? 3_000_000 : 30, 7) });
      if (r() < 0.0005) ops.push('flush');
    }
    if (r() < 0.001) wall += 0.001;
    ops.push({ k: i % period, wall, step, value: r() < 0.01 ? NaN : r() });
  }
  const files: Buffer[] = [];
  for (const fast of [true, false]) {
    const dir = tmpdir();
    const w = new EventFileWriter(dir, { fileWallTime: BASE });
    for (const op of ops) {
      if (op === 'flush') void w.flush();
      else if ('bytes' in op) w.writeEventBytes(op.bytes);
      else if (fast) w.writeScalarRecord(templates[op.k].get(op.step)!, op.wall, op.step, op.value);
      else w.writeEventBytes(plainData(op.k, op.wall, op.step, op.value));
    }
    await w.close();
    files.push(fs.readFileSync(w.path));
    fs.rmSync(dir, { recursive: true });
  }
  assertSame(files[0], files[1], 'EventFileWriter');
});
