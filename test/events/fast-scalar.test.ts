/**
 * The hand-written scalar decoder and in-place CRC must agree with protobufjs / record/crc32c on
 * everything they accept: golden files, random scalar events, and random mutations of them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeScalarEvent, newScalarScratch } from '../../src/events/fast-scalar';
import { crc32cRange, maskedCrc32cRange } from '../../src/events/fast-crc32c';
import { scanRecordFile } from '../../src/events/fast-scan';
import { decodeEvent, encodeEvent, listRuns, type EventInit, type RecordProblem } from '../../src/events';
import { crc32c, maskedCrc32c, iterateRecordFile, frameRecords, writeRecordInto } from '../../src/record';
import { frameRecordInto } from '../../src/events/frame-fast';
import { T } from '../../src/proto';
import { createRng } from '../../src/util/random';
import { GOLDEN_LOGDIR } from '../fixture-paths';

/** Fast decode vs protobufjs: if the fast path accepts, every field must agree. Returns whether it accepted. */
function agree(bytes: Buffer, label: string): boolean {
  const s = newScalarScratch();
  // Embed in a larger buffer at an offset: the decoder must respect [start, end).
  const host = Buffer.concat([Buffer.from([0x0a, 0x0b, 0x0c]), bytes, Buffer.from([0x15, 0x99])]);
  const ok = decodeScalarEvent(host, 3, 3 + bytes.length, s);
  if (!ok) return false;
  const ev = decodeEvent(bytes); // must not throw when the fast path accepted
  assert.equal(ev.summary?.value.length, 1, label);
  const v = ev.summary!.value[0];
  assert.equal(host.toString('utf8', s.tagStart, s.tagEnd), v.tag ?? '', label);
  assert.ok(Object.is(s.wallTime, ev.wall_time), `${label}: wall ${s.wallTime} vs ${ev.wall_time}`);
  assert.equal(s.step, ev.step, label);
  const slowValue = v.simple_value !== undefined ? v.simple_value
    : v.tensor!.float_val?.length ? v.tensor!.float_val[0]
    : Buffer.from(v.tensor!.tensor_content!).readFloatLE(0);
  assert.ok(Object.is(s.value, slowValue), `${label}: value ${s.value} vs ${slowValue}`);
  assert.equal(s.simple, v.simple_value !== undefined, label);
  if (v.tensor) {
    assert.equal(v.tensor.dtype, 1, label);
    assert.equal(v.tensor.tensor_shape?.dim?.length ?? 0, 0, label);
  }
  if (s.metaStart >= 0) {
    const M = T.SummaryMetadata;
    assert.deepEqual(M.toObject(M.decode(host.subarray(s.metaStart, s.metaEnd))), M.toObject(M.decode(M.encode(M.fromObject(v.metadata!)).finish())), label);
  } else {
    assert.equal(v.metadata, undefined, label);
  }
  return true;
}

test('crc32cRange / maskedCrc32cRange equal record/crc32c on random ranges', () => {
  const r = createRng(1);
  const buf = Buffer.alloc(5000);
  for (let i = 0; i < buf.length; i++) buf[i] = (r() * 256) | 0;
  for (let i = 0; i < 2000; i++) {
    const a = (r() * 4000) | 0;
    const b = a + ((r() * 200) | 0);
    assert.equal(crc32cRange(buf, a, b), crc32c(buf.subarray(a, b)));
    assert.equal(maskedCrc32cRange(buf, a, b), maskedCrc32c(buf.subarray(a, b)));
  }
  assert.equal(crc32cRange(Buffer.alloc(32), 0, 32), 0x8a9136aa);
});

test('golden files: the fast path takes every scalar record and agrees with protobufjs', () => {
  let accepted = 0, total = 0;
  for (const run of listRuns(GOLDEN_LOGDIR)) {
    for (const f of run.files) {
      for (const rec of iterateRecordFile(f)) {
        total++;
        if (agree(Buffer.from(rec.data), `${f}@${rec.offset}`)) accepted++;
      }
    }
  }
  // 20 (run_a) + 20 (run_b) + 5 (legacy_v1) + 3 (writer_api) scalar records.
  assert.equal(accepted, 48);
  assert.equal(total, 68);
});

function randomScalarEvent(r: () => number): { ev: EventInit; fast: boolean } {
  const tags = ['loss', 'acc', 'a/b/c', 'ünï', '', 'x'.repeat(200)];
  const tag = tags[(r() * tags.length) | 0];
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-45, 3.4e38];
  const value = r() < 0.2 ? special[(r() * special.length) | 0] : (r() - 0.5) * 10 ** ((r() * 20) | 0);
  const steps = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 48 - 1, 2 ** 49, 2 ** 53 - 1];
  const step = r() < 0.5 ? steps[(r() * steps.length) | 0] : (r() * 1e6) | 0;
  const wall_time = r() < 0.1 ? 0 : 1.7e9 + r() * 1e6;
  const meta = r() < 0.5 ? { metadata: { plugin_data: { plugin_name: 'scalars' }, summary_description: r() < 0.5 ? 'desc' : '', data_class: r() < 0.5 ? 1 : 0 } } : {};
  const kind = r();
  const f32 = Buffer.alloc(4); f32.writeFloatLE(value);
  const val = kind < 0.4 ? { simple_value: value }
    : kind < 0.8 ? { tensor: { dtype: 1, tensor_shape: {}, float_val: [value] } }
    : kind < 0.9 ? { tensor: { dtype: 1, tensor_content: f32 } }
    : { tensor: { dtype: r() < 0.5 ? 2 : 1, tensor_shape: { dim: [{ size: 1 }] }, float_val: [value] } }; // rejected shapes/dtypes
  // The fast path must take every DT_FLOAT rank-0 / simple_value event with a non-empty tag
  // (an empty tag is omitted on the wire; protobufjs then falls back to node_name).
  return { ev: { wall_time, step, summary: { value: [{ tag, ...meta, ...val }] } }, fast: kind < 0.9 && tag !== '' };
}

test('random scalar events: fast path agrees with protobufjs, and accepts the common shapes', () => {
  const r = createRng(42);
  let accepted = 0;
  const N = 3000;
  for (let i = 0; i < N; i++) {
    const { ev, fast } = randomScalarEvent(r);
    const bytes = Buffer.from(encodeEvent(ev));
    const label = `event ${i} ${JSON.stringify(ev)}`;
    assert.equal(agree(bytes, label), fast, label);
    if (fast) accepted++;
  }
  assert.ok(accepted > N * 0.6, `accepted ${accepted}/${N}`);
});

test('random mutations (byte flips, truncation, appended fields): fast path never disagrees', () => {
  const r = createRng(7);
  let accepted = 0, rejected = 0;
  for (let i = 0; i < 5000; i++) {
    const bytes = Buffer.from(encodeEvent(randomScalarEvent(r).ev));
    const m = r();
    let mutated: Buffer;
    if (m < 0.6) {
      mutated = Buffer.from(bytes);
      const flips = 1 + ((r() * 3) | 0);
      for (let k = 0; k < flips; k++) mutated[(r() * mutated.length) | 0] = (r() * 256) | 0;
    } else if (m < 0.8) {
      mutated = bytes.subarray(0, (r() * bytes.length) | 0);
    } else {
      // An extra field the fast path does not know (file_version, source_metadata, or a duplicate summary).
      const extra = [Buffer.from([0x1a, 0x01, 0x41]), Buffer.from([0x52, 0x00]), bytes.subarray(bytes.indexOf(0x2a))][(r() * 3) | 0];
      mutated = Buffer.concat([bytes, extra]);
    }
    let slowOk = true;
    try { decodeEvent(mutated); } catch { slowOk = false; }
    const fast = (() => { try { return agree(mutated, `mutation ${i}: ${mutated.toString('hex')}`); } catch (e) { if (!slowOk) assert.fail(`fast path accepted bytes protobufjs rejects: ${mutated.toString('hex')}`); throw e; } })();
    if (fast) accepted++; else rejected++;
  }
  assert.ok(accepted > 100 && rejected > 100, `accepted ${accepted}, rejected ${rejected}`);
});

test('scanRecordFile: same records and problems as iterateRecordFile, across chunk boundaries', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-scan-'));
  try {
    const r = createRng(3);
    const datas: Buffer[] = [];
    for (let i = 0; i < 300; i++) datas.push(Buffer.alloc((r() * 300) | 0, i & 255));
    const buf = frameRecords(datas);
    buf[1000] ^= 1; // damage somewhere in the middle
    const f = path.join(dir, 'x.tfevents');
    fs.writeFileSync(f, buf.subarray(0, buf.length - 3));
    const want: Array<[number, string]> = [];
    const wantP: RecordProblem[] = [];
    for (const rec of iterateRecordFile(f, (p) => wantP.push(p))) want.push([rec.offset, rec.data.toString('hex')]);
    for (const chunk of [16, 64, 333, 4096, 1 << 20]) {
      const got: Array<[number, string]> = [];
      const gotP: RecordProblem[] = [];
      scanRecordFile(f, (b, s, e, off) => got.push([off, b.toString('hex', s, e)]), (p) => gotP.push(p), chunk);
      assert.deepEqual(got, want, `chunk ${chunk}`);
      assert.deepEqual(gotP, wantP, `chunk ${chunk}`);
    }
    assert.ok(wantP.length >= 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('scanRecordFile: equal-length records (headers verified by comparison) still catch every damaged header and data CRC', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-scan-eq-'));
  try {
    const datas: Buffer[] = [];
    for (let i = 0; i < 40; i++) datas.push(Buffer.alloc(40, i)); // byte-identical 12-byte headers
    const clean = frameRecords(datas);
    const rec = 56; // 12 + 40 + 4
    const cases: Array<[string, (b: Buffer) => void]> = [
      ['length byte', (b) => { b[10 * rec] ^= 1; }], // header differs: its CRC is computed and fails
      ['high length byte', (b) => { b[11 * rec + 5] ^= 0x10; }],
      ['length CRC byte', (b) => { b[12 * rec + 9] ^= 0x80; }],
      ['data byte', (b) => { b[13 * rec + 20] ^= 4; }], // same header as its neighbours, bad data CRC
      ['data CRC byte', (b) => { b[14 * rec + 52] ^= 1; }],
    ];
    for (const [label, damage] of cases) {
      const buf = Buffer.from(clean);
      damage(buf);
      const f = path.join(dir, 'x.tfevents');
      fs.writeFileSync(f, buf);
      const want: number[] = [];
      const wantP: RecordProblem[] = [];
      for (const r of iterateRecordFile(f, (p) => wantP.push(p))) want.push(r.offset);
      for (const chunk of [64, 4096]) {
        const got: number[] = [];
        const gotP: RecordProblem[] = [];
        scanRecordFile(f, (_b, _s, _e, off) => got.push(off), (p) => gotP.push(p), chunk);
        assert.deepEqual(got, want, `${label}, chunk ${chunk}`);
        assert.deepEqual(gotP, wantP, `${label}, chunk ${chunk}`);
      }
      assert.equal(wantP.length, 1, label);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('frameRecordInto produces the same bytes as record/writeRecordInto', () => {
  const r = createRng(9);
  for (const len of [0, 1, 7, 8, 9, 33, 127, 128, 129, 1000, 70000]) {
    const data = Buffer.alloc(len);
    for (let i = 0; i < len; i++) data[i] = (r() * 256) | 0;
    const a = Buffer.alloc(len + 16 + 5, 0xee), b = Buffer.alloc(len + 16 + 5, 0xee);
    assert.equal(frameRecordInto(a, 3, data), 3 + len + 16);
    writeRecordInto(b, 3, data);
    assert.deepEqual(a, b, `len ${len}`);
  }
});
