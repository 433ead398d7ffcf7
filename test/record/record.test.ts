/**
 * TFRecord framing and reading (src/record): CRC vectors (RustBoard's masked_crc.rs tests, the
 * CRC-32C check value), byte-exact frames of real scalar Events, round trips, and every
 * damaged-file case the reader must survive. oracle.test.ts compares the same code with the
 * plain implementation on random inputs.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  crc32c, maskCrc, maskedCrc32c, frameRecord, frameRecords, writeRecordInto,
  readRecordsFromBuffer, iterateRecordFile, RECORD_OVERHEAD, type RecordProblem,
} from '../../src/record';
import { unmaskCrc } from '../../src/record/masked-crc32c';
import { tmpFile } from './tmp-file';

function readAll(file: string, opts?: { chunkSize?: number }) {
  const problems: RecordProblem[] = [];
  const records: Array<{ data: string; offset: number }> = [];
  for (const r of iterateRecordFile(file, (p) => problems.push(p), opts)) records.push({ data: r.data.toString('latin1'), offset: r.offset });
  return { records, problems };
}
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const f64 = (x: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(x); return b; };

test('CRC-32C vectors from masked_crc.rs', () => {
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(maskedCrc32c(Buffer.from('\x1a\x11CRC test, one two', 'latin1')), 0x5794d08a);
  // Standard CRC-32C check value.
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  for (const c of [0, 1, 0xffffffff, 0x8a9136aa, 0x12345678]) assert.equal(unmaskCrc(maskCrc(c)), c >>> 0);
});

test('byte-exact frames of a file_version, a simple_value and a tensor scalar Event', () => {
  const fileVersion = Buffer.concat([hex('09'), f64(1.7e9), hex('1a0d'), Buffer.from('brain.Event:2')]);
  assert.equal(fileVersion.toString('hex'), '0900000040fc54d9411a0d627261696e2e4576656e743a32');
  assert.deepEqual(frameRecord(fileVersion), Buffer.concat([hex('18 00 00 00 00 00 00 00 a3 7f 4b 22'), fileVersion, hex('ec ed 8f 9d')]));

  const simple = Buffer.concat([hex('09'), f64(1700000000.5), hex('10 01 2a 0d 0a 0b 0a 04'), Buffer.from('loss'), hex('15 00 00 00 3f')]);
  assert.deepEqual(frameRecord(simple), Buffer.concat([hex('1a 00 00 00 00 00 00 00 12 9b d8 2d'), simple, hex('34 c2 79 3e')]));

  // Metadata (field 9) before the tensor (field 8), as some writers order them; framing does not
  // care about field order.
  const tensor = Buffer.concat([
    hex('09'), f64(1700000000.5), hex('10 01 2a 23 0a 21 0a 04'), Buffer.from('loss'), hex('4a 0d 0a 09 0a 07'), Buffer.from('scalars'),
    hex('20 01 42 0a 08 01 12 00 2a 04 00 00 00 3f'),
  ]);
  assert.deepEqual(frameRecord(tensor), Buffer.concat([hex('30 00 00 00 00 00 00 00 95 f5 d0 5f'), tensor, hex('70 1e 16 23')]));
});

test('round trip: frameRecords/writeRecordInto → iterateRecordFile, including empty and binary records', () => {
  const datas = [Buffer.alloc(0), Buffer.from('a'), Buffer.from([0, 255, 1, 254]), Buffer.alloc(1000, 7)];
  const framed = frameRecords(datas);
  assert.equal(framed.length, datas.reduce((s, d) => s + d.length + RECORD_OVERHEAD, 0));
  const manual = Buffer.alloc(framed.length);
  let off = 0;
  for (const d of datas) off = writeRecordInto(manual, off, d);
  assert.deepEqual(manual, framed);
  const { records, problems } = readAll(tmpFile(framed));
  assert.deepEqual(problems, []);
  assert.deepEqual(records.map((r) => r.data), datas.map((d) => d.toString('latin1')));
  assert.deepEqual(records.map((r) => r.offset), [0, 16, 33, 53]);
});

test('truncated tail: complete records are read, the tail is one "truncated" problem', () => {
  const good = frameRecords([Buffer.from('one'), Buffer.from('two')]);
  const third = frameRecord(Buffer.from('three'));
  for (const cut of [1, 5, 11, 12, 15, third.length - 1]) {
    const f = tmpFile(Buffer.concat([good, third.subarray(0, cut)]));
    const { records, problems } = readAll(f);
    assert.deepEqual(records.map((r) => r.data), ['one', 'two'], `cut ${cut}`);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].kind, 'truncated');
    assert.equal(problems[0].offset, good.length);
    assert.equal(problems[0].file, f);
    assert.match(problems[0].message, new RegExp(`byte offset ${good.length}`));
  }
});

test('corrupt length CRC: reading stops there with a "corrupt-length" problem', () => {
  const buf = frameRecords([Buffer.from('one'), Buffer.from('two'), Buffer.from('three')]);
  buf[19 + 8] ^= 0x01; // length-CRC byte of record 2 (record 1 is 19 bytes)
  const { records, problems } = readAll(tmpFile(buf));
  assert.deepEqual(records.map((r) => r.data), ['one']);
  assert.deepEqual(problems.map((p) => [p.kind, p.offset]), [['corrupt-length', 19]]);
});

test('corrupt data CRC: that record is skipped, the next one is read', () => {
  const buf = frameRecords([Buffer.from('one'), Buffer.from('two'), Buffer.from('three')]);
  buf[19 + 12] ^= 0x20; // a data byte of record 2
  const { records, problems } = readAll(tmpFile(buf));
  assert.deepEqual(records.map((r) => r.data), ['one', 'three']);
  assert.deepEqual(problems.map((p) => [p.kind, p.offset]), [['corrupt-data', 19]]);
  // The in-memory reader agrees.
  const mem = readRecordsFromBuffer(buf);
  assert.deepEqual(mem.records.map((r) => r.data.toString()), ['one', 'three']);
  assert.equal(mem.problems[0].kind, 'corrupt-data');
});

test('records larger than the chunk size and records straddling chunks', () => {
  const big = Buffer.alloc(5000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
  const datas = [Buffer.from('x'), big, Buffer.from('after'), Buffer.alloc(100, 1), Buffer.alloc(3, 2)];
  const f = tmpFile(frameRecords(datas));
  for (const chunkSize of [64, 100, 1000]) {
    const { records, problems } = readAll(f, { chunkSize });
    assert.deepEqual(problems, [], `chunk ${chunkSize}`);
    assert.deepEqual(records.map((r) => r.data), datas.map((d) => d.toString('latin1')), `chunk ${chunkSize}`);
  }
});

test('huge length field with a valid length CRC: reported as truncated, no giant allocation', () => {
  const header = Buffer.alloc(12);
  header.writeUInt32LE(0xfffffff0, 0);
  header.writeUInt32LE(0x7fffffff, 4); // ~2^63 bytes
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const f = tmpFile(Buffer.concat([frameRecord(Buffer.from('ok')), header, Buffer.alloc(40)]));
  const before = process.memoryUsage().arrayBuffers;
  const { records, problems } = readAll(f);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024);
  assert.deepEqual(records.map((r) => r.data), ['ok']);
  assert.deepEqual(problems.map((p) => [p.kind, p.offset]), [['truncated', 18]]);
});

test('empty file: no records, no problems', () => {
  assert.deepEqual(readAll(tmpFile(Buffer.alloc(0))), { records: [], problems: [] });
});
