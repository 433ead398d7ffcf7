/**
 * The hand-written varint helpers (src/proto/wire.ts) against protobufjs' Writer and Reader:
 * lengths and bytes for every width up to 2^53 - 1 and for int64 bigints, and the readers'
 * values, positions and refusals (too long, too large, cut off).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as protobuf from 'protobufjs';
import {
  varintLength, writeVarint, pushVarint, varintLengthBig, writeVarintBig,
  wireCursor, readLengthVarint, readLengthField, readSafeVarint, skipVarint,
} from '../../src/proto';
import { createRng } from '../../src/util';

const EDGES = [0, 1, 127, 128, 129, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 35 - 1, 2 ** 35, 2 ** 42, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1];

/** protobufjs' uint64 varint of a number (exact up to 2^53 - 1). */
function pbVarint(v: number | bigint): Uint8Array {
  return Uint8Array.from(protobuf.Writer.create().uint64(typeof v === 'bigint' ? v.toString() : v).finish());
}

function randomValue(r: () => number): number {
  return Math.floor(r() * 2 ** (1 + Math.floor(r() * 53)));
}

test('varintLength, writeVarint, pushVarint equal protobufjs for every width up to 2^53 - 1', () => {
  const r = createRng(3);
  const values = [...EDGES, ...Array.from({ length: 5000 }, () => randomValue(r))];
  for (const v of values) {
    const want = pbVarint(v);
    assert.equal(varintLength(v), want.length, `length of ${v}`);
    const buf = new Uint8Array(16).fill(0xee);
    assert.equal(writeVarint(buf, 3, v), 3 + want.length, `end of ${v}`);
    assert.deepEqual(buf.subarray(3, 3 + want.length), want, `bytes of ${v}`);
    assert.equal(buf[3 + want.length], 0xee, `nothing written after ${v}`);
    const out = [0x10];
    pushVarint(out, v);
    assert.deepEqual(out, [0x10, ...want], `pushed ${v}`);
  }
});

test('varintLengthBig and writeVarintBig equal protobufjs for int64 bigints up to 2^63 - 1', () => {
  const values = [0n, 1n, 127n, 128n, 2n ** 53n, 2n ** 56n - 1n, 2n ** 56n, 2n ** 62n, 2n ** 63n - 1n];
  for (const v of values) {
    const want = pbVarint(v);
    assert.equal(varintLengthBig(v), want.length, `length of ${v}`);
    const buf = new Uint8Array(12);
    assert.equal(writeVarintBig(buf, 1, v), 1 + want.length);
    assert.deepEqual(buf.subarray(1, 1 + want.length), want, `bytes of ${v}`);
  }
});

test('readSafeVarint reads up to 8 bytes and 2^53 - 1, refuses the rest; readLengthVarint up to 4 bytes', () => {
  const r = createRng(4);
  const values = [...EDGES, ...Array.from({ length: 3000 }, () => randomValue(r))];
  for (const v of values) {
    const bytes = pbVarint(v);
    const host = new Uint8Array([0xff, ...bytes, 0x01]); // a continuation byte before, a byte after
    const end = 1 + bytes.length;
    const got = readSafeVarint(host, 1, host.length);
    if (bytes.length <= 8) {
      assert.equal(got, v, `value ${v}`);
      assert.equal(wireCursor.at, end, `position after ${v}`);
    } else {
      assert.equal(got, -1, `${v} has ${bytes.length} bytes`);
    }
    if (bytes.length > 1) assert.equal(readSafeVarint(host, 1, end - 1), -1, `${v} cut off`);
    const len = readLengthVarint(host, 1, host.length);
    assert.equal(len, bytes.length <= 4 ? v : -1, `length ${v}`);
    if (len >= 0) assert.equal(wireCursor.at, end);
    assert.equal(skipVarint(host, 1, host.length), end, `skip ${v}`);
    if (bytes.length > 1) assert.equal(skipVarint(host, 1, end - 1), -1, `skip ${v} cut off`);
  }
  assert.equal(readSafeVarint(pbVarint(2n ** 53n), 0, 8), -1, '2^53 is not exact');
  const negative = protobuf.Writer.create().int64(-1).finish(); // 10 bytes
  assert.equal(readSafeVarint(negative, 0, negative.length), -1);
  assert.equal(skipVarint(negative, 0, negative.length), 10);
  assert.equal(skipVarint(new Uint8Array(11).fill(0x80), 0, 11), -1, 'more than 10 bytes');
});

test('readLengthField: the length only if its payload fits before the end', () => {
  const field = new Uint8Array([0x05, 1, 2, 3, 4, 5, 9]);
  assert.equal(readLengthField(field, 0, 6), 5);
  assert.equal(wireCursor.at, 1);
  assert.equal(readLengthField(field, 0, 5), -1);
  const long = new Uint8Array([0x80, 0x01, ...new Uint8Array(128)]);
  assert.equal(readLengthField(long, 0, long.length), 128);
  assert.equal(wireCursor.at, 2);
});
