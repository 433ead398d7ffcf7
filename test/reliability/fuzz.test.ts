/**
 * Corrupt or hostile event files never crash the readers.
 *
 * ≥ 10 000 mutated and truncated event files (flipped bits, wrong and huge length fields with valid
 * length CRCs, garbage protobuf with valid CRCs, zero-filled blocks, inserted/deleted bytes, spliced
 * records) go through every reader: iterateRecordFile (default and tiny chunks), readEvents, readRun,
 * and `tbkit inspect`'s inspectPath + formatInspect + its JSON rendering. For each file:
 * - no exception escapes;
 * - bounded time (each file well under FILE_BUDGET_MS) and bounded memory (huge length fields never
 *   allocate; the process's external + heap memory stays below a fixed ceiling);
 * - every problem names the file and a byte offset inside it;
 * - every record before the first damaged byte is read back exactly (the clean prefix).
 *
 * Seeded PRNG: TBKIT_FUZZ_SEED=<n> reproduces a run (the seed is printed on failure, with the
 * mutation and a copy of the failing file). TBKIT_FUZZ_FILES=<n> changes the number of files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { frameRecord, iterateRecordFile, maskedCrc32c, readRecordsFromBuffer, type RecordProblem as RawProblem } from '../../src/record';
import { readEvents, readRun, type RecordProblem } from '../../src/events';
import { SummaryWriter } from '../../src/summary/summary-writer';
import { inspectPath } from '../../src/cli/inspect';
import { formatInspect } from '../../src/cli/inspect-text';
import { nonFiniteReplacer } from '../../src/cli/format';
import { createRng } from '../../src/util/random';
import { GOLDEN_LOGDIR } from '../fixture-paths';

const SEED = Number(process.env.TBKIT_FUZZ_SEED ?? 20240611) >>> 0;
const FILES = Number(process.env.TBKIT_FUZZ_FILES ?? 10_000);
const FILE_BUDGET_MS = 2_000;
/** heapUsed + external (Buffers) may never exceed this: a 2^60 length that allocated would blow it. */
const MEMORY_CEILING = 512 * 1024 * 1024;

interface Base {
  name: string;
  bytes: Buffer;
  records: Array<{ offset: number; end: number; data: Buffer }>;
}

/** Event files covering every summary type (tensor and simple_value scalars, hparams, images, …). */
async function makeBases(dir: string): Promise<Base[]> {
  let t = 1_700_000_000;
  const now = () => (t += 0.25);
  const w = new SummaryWriter(path.join(dir, 'all'), { now, fileWallTime: 1_700_000_000 });
  w.hparams({ lr: 0.01, bn: true, opt: 'adam' }, ['loss', 'acc'], { startTimeSecs: 1_700_000_000 });
  for (let s = 1; s <= 12; s++) {
    w.scalar('loss', 1 / s, s);
    w.scalars({ acc: s / 20, 'nan/inf': s % 3 === 0 ? NaN : Infinity }, s);
    if (s % 4 === 0) {
      w.histogram('weights', Array.from({ length: 50 }, (_, i) => Math.sin(i * s)), s);
      w.text('note', `step **${s}**`, s);
      w.image('img', { data: new Uint8Array(4 * 4).map((_, i) => (i * 16 + s) & 255), width: 4, height: 4, channels: 1 }, s);
    }
  }
  w.addSessionStart(5);
  w.scalar('loss', 0.5, 5);
  w.prCurve('pr', [true, false, true, false], [0.9, 0.2, 0.6, 0.4], 6, { numThresholds: 5 });
  await w.close();
  const s = new SummaryWriter(path.join(dir, 'simple'), { now, fileWallTime: 1_700_000_001, scalarFormat: 'simple_value', flavor: 'tensorboard' });
  for (let i = 0; i < 40; i++) s.scalar(`t${i % 3}`, Math.cos(i), i);
  await s.close();

  const files = [w.path, s.path];
  const golden = path.join(GOLDEN_LOGDIR, 'run_a');
  if (fs.existsSync(golden)) for (const f of fs.readdirSync(golden)) files.push(path.join(golden, f));
  return files.map((f) => {
    const bytes = fs.readFileSync(f);
    const r = readRecordsFromBuffer(bytes, f);
    assert.deepEqual(r.problems, [], `base file ${f} is clean`);
    return {
      name: path.basename(path.dirname(f)),
      bytes,
      records: r.records.map((x) => ({ offset: x.offset, end: x.offset + 16 + x.data.length, data: Buffer.from(x.data) })),
    };
  });
}

function frameHeader(len: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt32LE(len % 0x100000000, 0);
  h.writeUInt32LE(Math.floor(len / 0x100000000), 4);
  h.writeUInt32LE(maskedCrc32c(h.subarray(0, 8)), 8);
  return h;
}

type Mutation = (b: Buffer, base: Base, rnd: () => number) => { bytes: Buffer; what: string };

const int = (rnd: () => number, n: number) => Math.floor(rnd() * n);
const pickRecord = (base: Base, rnd: () => number) => base.records[int(rnd, base.records.length)];

const HUGE = [2 ** 60, 2 ** 63 - 2 ** 11, 2 ** 53 - 1, 2 ** 32, 2 ** 32 - 1, 2 ** 31, 0xffffffff * 2 ** 32, 1 << 30];

const MUTATIONS: Record<string, Mutation> = {
  flipBits(b, _base, rnd) {
    const out = Buffer.from(b);
    const n = 1 + int(rnd, 8);
    const at: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = int(rnd, out.length);
      out[p] ^= 1 << int(rnd, 8);
      at.push(p);
    }
    return { bytes: out, what: `flip bits at ${at.join(',')}` };
  },
  truncate(b, _base, rnd) {
    const n = int(rnd, b.length);
    return { bytes: b.subarray(0, n), what: `truncate to ${n}` };
  },
  hugeLength(b, base, rnd) {
    const r = pickRecord(base, rnd);
    const len = rnd() < 0.7 ? HUGE[int(rnd, HUGE.length)] : Math.floor(rnd() * 2 ** 53);
    const out = Buffer.from(b);
    frameHeader(len).copy(out, r.offset);
    return { bytes: out, what: `length ${len} (valid length CRC) at ${r.offset}` };
  },
  hugeLengthBadCrc(b, base, rnd) {
    const r = pickRecord(base, rnd);
    const out = Buffer.from(b);
    out.writeUInt32LE(0xffffffff, r.offset + 4);
    return { bytes: out, what: `high length word 0xffffffff (stale CRC) at ${r.offset}` };
  },
  wrongLength(b, base, rnd) {
    const r = pickRecord(base, rnd);
    const len = Math.max(0, r.data.length + int(rnd, 41) - 20);
    const out = Buffer.from(b);
    frameHeader(len).copy(out, r.offset);
    return { bytes: out, what: `length ${r.data.length}→${len} (valid length CRC) at ${r.offset}` };
  },
  garbageProtobuf(b, base, rnd) {
    // A record whose CRCs are valid but whose data is random bytes (sometimes a plausible Event prefix).
    const r = pickRecord(base, rnd);
    const len = int(rnd, 3) === 0 ? r.data.length : int(rnd, 200);
    const data = Buffer.alloc(len);
    for (let i = 0; i < len; i++) data[i] = int(rnd, 256);
    if (len > 0 && rnd() < 0.5) data[0] = [0x09, 0x10, 0x2a, 0x22, 0x32, 0x1a][int(rnd, 6)];
    const out = Buffer.concat([b.subarray(0, r.offset), frameRecord(data), b.subarray(r.end)]);
    return { bytes: out, what: `garbage protobuf (${len} bytes, valid CRCs) replacing record at ${r.offset}` };
  },
  mutateEventValidCrc(b, base, rnd) {
    // A real Event with a few bytes changed, CRCs recomputed: exercises the decoders' edge cases.
    const r = pickRecord(base, rnd);
    const data = Buffer.from(r.data);
    const n = 1 + int(rnd, 4);
    for (let i = 0; i < n && data.length > 0; i++) {
      const p = int(rnd, data.length);
      data[p] = rnd() < 0.5 ? data[p] ^ (1 << int(rnd, 8)) : [0, 0xff, 0x7f, 0x80][int(rnd, 4)];
    }
    const out = Buffer.concat([b.subarray(0, r.offset), frameRecord(data), b.subarray(r.end)]);
    return { bytes: out, what: `${n} bytes of the Event at ${r.offset} changed, CRCs recomputed` };
  },
  cutEventValidCrc(b, base, rnd) {
    const r = pickRecord(base, rnd);
    const data = r.data.subarray(0, int(rnd, r.data.length + 1));
    const out = Buffer.concat([b.subarray(0, r.offset), frameRecord(data), b.subarray(r.end)]);
    return { bytes: out, what: `Event at ${r.offset} cut to ${data.length} bytes, CRCs recomputed` };
  },
  zeroBlock(b, _base, rnd) {
    const out = Buffer.from(b);
    const start = int(rnd, out.length);
    const len = 1 + int(rnd, rnd() < 0.5 ? 16 : 4096);
    const end = Math.min(out.length, start + len);
    out.fill(0, start, end);
    return { bytes: out, what: `zeros at ${start}..${end}` };
  },
  zeroTail(b, _base, rnd) {
    // What a crash on some file systems leaves: the size was updated, the data blocks were not.
    const extra = 1 + int(rnd, 8192);
    return { bytes: Buffer.concat([b, Buffer.alloc(extra)]), what: `${extra} zero bytes appended` };
  },
  insertBytes(b, _base, rnd) {
    const at = int(rnd, b.length + 1);
    const ins = Buffer.alloc(1 + int(rnd, 20));
    for (let i = 0; i < ins.length; i++) ins[i] = int(rnd, 256);
    return { bytes: Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]), what: `${ins.length} bytes inserted at ${at}` };
  },
  deleteBytes(b, _base, rnd) {
    const at = int(rnd, b.length);
    const n = 1 + int(rnd, 20);
    return { bytes: Buffer.concat([b.subarray(0, at), b.subarray(at + n)]), what: `${n} bytes deleted at ${at}` };
  },
  spliceRecords(b, base, rnd) {
    // Records duplicated / reordered (valid framing, odd step order): a reader must not care.
    const r1 = pickRecord(base, rnd);
    const r2 = pickRecord(base, rnd);
    const at = pickRecord(base, rnd).offset;
    const ins = Buffer.concat([b.subarray(r1.offset, r1.end), b.subarray(r2.offset, r2.end)]);
    return { bytes: Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]), what: `records ${r1.offset},${r2.offset} copied to ${at}` };
  },
  random(_b, _base, rnd) {
    const out = Buffer.alloc(int(rnd, 600));
    for (let i = 0; i < out.length; i++) out[i] = int(rnd, 256);
    return { bytes: out, what: `${out.length} random bytes` };
  },
};
const NAMES = Object.keys(MUTATIONS);
/** Mutations that do not use the base file's record offsets (safe on an already mutated file). */
const POSITION_FREE = ['flipBits', 'truncate', 'zeroBlock', 'zeroTail', 'insertBytes', 'deleteBytes'];

function firstDiff(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

function checkProblems(problems: Array<RecordProblem | RawProblem>, file: string, size: number, who: string): void {
  for (const p of problems) {
    assert.equal(p.file, file, `${who}: problem names the file`);
    assert.ok(Number.isInteger(p.offset) && p.offset >= 0 && p.offset <= size, `${who}: problem offset ${p.offset} within 0..${size}`);
    assert.equal(typeof p.kind, 'string');
    assert.ok(p.message.includes(file), `${who}: message names the file: ${p.message}`);
  }
}

test(`fuzz: ${FILES} mutated/truncated event files through every reader: no crash, no hang, bounded memory, clean prefix kept`, { timeout: 240_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-fuzz-'));
  const bases = await makeBases(dir);
  const rnd = createRng(SEED);
  const file = path.join(dir, 'fuzz', 'events.out.tfevents.1700000000.fuzz.1.0');
  fs.mkdirSync(path.dirname(file));
  const counts: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  let peakMem = 0;
  let slowest = 0;
  const started = Date.now();

  for (let i = 0; i < FILES; i++) {
    const base = bases[int(rnd, bases.length)];
    const name = NAMES[int(rnd, NAMES.length)];
    let m = MUTATIONS[name](base.bytes, base, rnd);
    let what = `${name}: ${m.what}`;
    if (rnd() < 0.15) {
      // A second mutation on top of the first.
      const name2 = POSITION_FREE[int(rnd, POSITION_FREE.length)];
      const m2 = m.bytes.length > 0 ? MUTATIONS[name2](m.bytes, base, rnd) : { bytes: m.bytes, what: 'nothing (empty)' };
      m = m2;
      what += ` + ${name2}: ${m2.what}`;
    }
    const bytes = m.bytes;
    fs.writeFileSync(file, bytes);
    const t0 = performance.now();
    try {
      // Records entirely before the first changed byte must come back exactly.
      const diff = firstDiff(base.bytes, bytes);
      const prefix = base.records.filter((r) => r.end <= diff);

      const chunkSize = i % 3 === 0 ? 64 + int(rnd, 200) : undefined;
      const rawProblems: RawProblem[] = [];
      const recs: Array<{ offset: number; data: Buffer }> = [];
      const it = iterateRecordFile(file, (p) => rawProblems.push(p), chunkSize ? { chunkSize } : {});
      for (const r of it) recs.push({ offset: r.offset, data: Buffer.from(r.data) });
      checkProblems(rawProblems, file, bytes.length, 'iterateRecordFile');
      for (let k = 0; k < prefix.length; k++) {
        assert.equal(recs[k]?.offset, prefix[k].offset, `iterateRecordFile keeps clean record #${k}`);
        assert.ok(recs[k].data.equals(prefix[k].data), `iterateRecordFile record #${k} bytes`);
      }
      for (const p of rawProblems) kinds[p.kind] = (kinds[p.kind] ?? 0) + 1;

      const evProblems: RecordProblem[] = [];
      const offsets: number[] = [];
      for (const e of readEvents(file, (p) => evProblems.push(p))) offsets.push(e.offset);
      checkProblems(evProblems, file, bytes.length, 'readEvents');
      assert.deepEqual(offsets.slice(0, prefix.length), prefix.map((r) => r.offset), 'readEvents keeps the clean prefix');
      for (const p of evProblems) if (p.kind === 'bad-event') kinds['bad-event'] = (kinds['bad-event'] ?? 0) + 1;

      const run = readRun([file]);
      checkProblems(run.problems, file, bytes.length, 'readRun');
      assert.ok(run.records >= prefix.length, `readRun read ${run.records} records, clean prefix has ${prefix.length}`);
      assert.equal(run.files[0].records, run.records);

      const report = inspectPath(file);
      assert.equal(report.runs.length, 1);
      for (const p of report.runs[0].problems) {
        assert.ok(Number.isInteger(p.offset) && p.offset >= 0 && p.offset <= bytes.length);
        assert.ok(p.file.length > 0);
      }
      assert.equal(report.exitCode, report.runs[0].problems.some((p) => p.kind !== 'truncated') ? 1 : 0);
      formatInspect(report, { color: false, boxes: true });
      JSON.stringify(report, nonFiniteReplacer);
    } catch (err) {
      const keep = path.join(os.tmpdir(), `tbkit-fuzz-failure-seed${SEED}-file${i}.tfevents`);
      fs.writeFileSync(keep, bytes);
      const e = err as Error;
      e.message = `fuzz failure: TBKIT_FUZZ_SEED=${SEED} file #${i} (base ${base.name}, ${what}); copy at ${keep}\n${e.message}`;
      throw e;
    }
    const ms = performance.now() - t0;
    if (ms > slowest) slowest = ms;
    assert.ok(ms < FILE_BUDGET_MS, `TBKIT_FUZZ_SEED=${SEED} file #${i} (${what}) took ${ms.toFixed(0)} ms`);
    counts[name] = (counts[name] ?? 0) + 1;
    if (i % 250 === 0) {
      const mu = process.memoryUsage();
      const used = mu.heapUsed + mu.external;
      peakMem = Math.max(peakMem, used);
      assert.ok(used < MEMORY_CEILING, `TBKIT_FUZZ_SEED=${SEED} file #${i} (${what}): memory ${used} bytes`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // Every mutation kind ran and produced every kind of problem.
  for (const n of NAMES) assert.ok((counts[n] ?? 0) > 0, `mutation ${n} exercised`);
  for (const k of ['truncated', 'corrupt-length', 'corrupt-data', 'bad-event']) assert.ok((kinds[k] ?? 0) > 0, `problem kind ${k} seen`);
  console.log(`fuzz seed ${SEED}: ${FILES} files in ${((Date.now() - started) / 1000).toFixed(1)} s, slowest ${slowest.toFixed(1)} ms, peak heap+external ${(peakMem / 1048576).toFixed(0)} MiB, problems ${JSON.stringify(kinds)}`);
});
