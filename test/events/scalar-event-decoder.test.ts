/**
 * The hand-written scalar decoder must agree with protobufjs on everything it accepts: golden
 * files, random scalar events, and random mutations of them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { decodeScalarEvent, newScalarScratch } from '../../src/events/runs/scalar-event-decoder';
import { decodeEvent, encodeEvent, listRuns, type EventInit } from '../../src/events';
import { iterateRecordFile } from '../../src/record';
import { T } from '../../src/proto';
import { createRng } from '../../src/util';
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
