/**
 * The record layer (src/record) against its oracle (oracle.ts: the crc-32 package, plain framing,
 * a whole-file reader): CRCs on random ranges, frames of random data, template CRCs, and the
 * records and problems of random files with random damage, read whole, in chunks of every size,
 * streamed, from memory and from a start offset.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  crc32c, crc32cRange, maskedCrc32c, maskCrc, shiftTable, writeRecordInto,
  frameRecord, frameRecords, iterateRecordFile, readRecordsFromBuffer, scanRecordFile, type RecordProblem,
} from '../../src/record';
import { maskedCrc32cRange, unmaskCrc } from '../../src/record/masked-crc32c';
import { createRng } from '../../src/util';
import * as oracle from './oracle';
import { tmpFile } from './tmp-file';


function randomBytes(r: () => number, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (r() * 256) | 0;
  return b;
}

test('crc32cRange, maskedCrc32cRange, crc32c, maskedCrc32c equal the crc-32 package on random ranges and offsets', () => {
  const r = createRng(1);
  const buf = randomBytes(r, 5000);
  for (let i = 0; i < 3000; i++) {
    const a = (r() * 4000) | 0;
    const b = a + ((r() * (i < 1000 ? 40 : 400)) | 0); // short ranges exercise every tail length
    const want = oracle.crc32c(buf.subarray(a, b));
    assert.equal(crc32cRange(buf, a, b), want, `[${a}, ${b})`);
    assert.equal(maskedCrc32cRange(buf, a, b), oracle.maskCrc(want));
    assert.equal(crc32c(buf.subarray(a, b)), want);
    assert.equal(maskedCrc32c(buf.subarray(a, b)), oracle.maskedCrc32c(buf.subarray(a, b)));
  }
  // A view at an odd byte offset of its ArrayBuffer, and a plain Uint8Array.
  const odd = new Uint8Array(buf.buffer, buf.byteOffset + 3, 1001);
  assert.equal(crc32c(odd), oracle.crc32c(odd));
  assert.equal(crc32c(new Uint8Array(odd)), oracle.crc32c(odd));
  for (let i = 0; i < 200; i++) {
    const c = (r() * 2 ** 32) >>> 0;
    assert.equal(maskCrc(c), oracle.maskCrc(c));
    assert.equal(unmaskCrc(maskCrc(c)), c);
  }
});

test('writeRecordInto, frameRecord, frameRecords produce the oracle bytes (every small length, large ones, offsets)', () => {
  const r = createRng(9);
  const lens = [...Array.from({ length: 140 }, (_, i) => i), 255, 256, 1000, 70000];
  for (const len of lens) {
    const data = randomBytes(r, len);
    const a = Buffer.alloc(len + 16 + 5, 0xee), b = Buffer.alloc(len + 16 + 5, 0xee);
    assert.equal(writeRecordInto(a, 3, data), 3 + len + 16);
    oracle.writeRecordInto(b, 3, data);
    assert.deepEqual(a, b, `len ${len}`);
    assert.deepEqual(frameRecord(data), b.subarray(3, 3 + len + 16), `len ${len}`);
  }
  const datas = lens.slice(0, 30).map((len) => randomBytes(r, len));
  assert.deepEqual(frameRecords(datas), oracle.frameRecords(datas));
});

test('shiftTable: a template CRC xor the shifted bytes equals the CRC of the changed record', () => {
  const r = createRng(5);
  for (let trial = 0; trial < 300; trial++) {
    const len = 1 + ((r() * 200) | 0);
    const template = randomBytes(r, len);
    const positions = new Set<number>();
    for (let k = (r() * 6) | 0; k >= 0; k--) positions.add((r() * len) | 0);
    for (const p of positions) template[p] = 0;
    const record = Buffer.from(template);
    const S = shiftTable(len);
    let c = oracle.crc32c(template);
    for (const p of positions) {
      record[p] = (r() * 256) | 0;
      c ^= S[(len - 1 - p) * 256 + record[p]];
    }
    assert.equal(c >>> 0, oracle.crc32c(record), `trial ${trial}`);
  }
});

/** A file image of random records (lengths 0–300, some equal in a row) with random damage. */
function damagedFile(r: () => number): Buffer {
  const datas: Buffer[] = [];
  const count = (r() * 40) | 0;
  let len = 0;
  for (let i = 0; i < count; i++) {
    if (r() < 0.6) len = (r() * 300) | 0; // else the same length again: byte-identical headers
    datas.push(randomBytes(r, len));
  }
  let buf = oracle.frameRecords(datas);
  const k = r();
  if (k < 0.3 && buf.length > 0) {
    for (let f = 1 + ((r() * 3) | 0); f > 0; f--) buf[(r() * buf.length) | 0] ^= 1 << ((r() * 8) | 0);
  } else if (k < 0.55) {
    buf = buf.subarray(0, (r() * buf.length) | 0);
  } else if (k < 0.65) {
    buf = Buffer.concat([buf, randomBytes(r, (r() * 30) | 0)]); // garbage after the last record
  }
  return buf;
}

type Seen = Array<[number, string]>; // [offset, hex data or problem kind] in the order reported

function oracleSeen(buf: Buffer, file: string): { seen: Seen; problems: RecordProblem[]; end: number } {
  const o = oracle.readAll(buf, file);
  const seen: Seen = [...o.records.map((x): [number, string] => [x.offset, x.data.toString('hex')]), ...o.problems.map((p): [number, string] => [p.offset, p.kind])];
  seen.sort((a, b) => a[0] - b[0]);
  return { seen, problems: o.problems, end: o.end };
}

test('random damaged files: every reader reports the oracle records and problems, in file order, for any chunk size', () => {
  const r = createRng(11);
  for (let trial = 0; trial < 150; trial++) {
    const buf = damagedFile(r);
    const file = tmpFile(buf);
    const want = oracleSeen(buf, file);
    for (const chunkSize of [16, 17, 64, 333, 4096, 1 << 20]) {
      const label = `trial ${trial}, chunk ${chunkSize}`;
      const scanned: Seen = [];
      const scanProblems: RecordProblem[] = [];
      const end = scanRecordFile(file, (b, s, e, off) => scanned.push([off, b.toString('hex', s, e)]), (p) => {
        scanProblems.push(p);
        scanned.push([p.offset, p.kind]);
      }, { chunkSize });
      assert.deepEqual(scanned, want.seen, label);
      assert.deepEqual(scanProblems, want.problems, label);
      assert.equal(end, want.end, label);

      const streamed: Seen = [];
      const it = iterateRecordFile(file, (p) => streamed.push([p.offset, p.kind]), { chunkSize });
      let step = it.next();
      for (; !step.done; step = it.next()) streamed.push([step.value.offset, step.value.data.toString('hex')]);
      assert.deepEqual(streamed, want.seen, label);
      assert.equal(step.value, want.end, label);
    }
    const mem = readRecordsFromBuffer(buf, file);
    const o = oracle.readAll(buf, file);
    assert.deepEqual(mem.records.map((x) => [x.offset, x.data.toString('hex')]), o.records.map((x) => [x.offset, x.data.toString('hex')]), `trial ${trial}`);
    assert.deepEqual(mem.problems, o.problems, `trial ${trial}`);
  }
});

test('iterateRecordFile from a start offset (a follower resuming) reads what the oracle reads from there', () => {
  const r = createRng(12);
  const datas = Array.from({ length: 30 }, () => randomBytes(r, (r() * 200) | 0));
  const buf = oracle.frameRecords(datas);
  const file = tmpFile(buf);
  const starts = oracle.readAll(buf, file).records.map((x) => x.offset);
  for (const start of [...starts, buf.length]) {
    const tail = oracle.readAll(buf.subarray(start), file);
    const got: Seen = [];
    const it = iterateRecordFile(file, (p) => got.push([p.offset, p.kind]), { startOffset: start, chunkSize: 100 });
    let step = it.next();
    for (; !step.done; step = it.next()) got.push([step.value.offset, step.value.data.toString('hex')]);
    assert.deepEqual(got, tail.records.map((x): [number, string] => [start + x.offset, x.data.toString('hex')]), `start ${start}`);
    assert.equal(step.value, buf.length);
  }
});

test('equal-length records (headers verified by comparison) still catch every damaged header and data CRC', () => {
  const datas = Array.from({ length: 40 }, (_, i) => Buffer.alloc(40, i)); // byte-identical 12-byte headers
  const clean = oracle.frameRecords(datas);
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
    const file = tmpFile(buf);
    const want = oracleSeen(buf, file);
    assert.equal(want.problems.length, 1, label);
    for (const chunkSize of [64, 4096]) {
      const got: Seen = [];
      scanRecordFile(file, (b, s, e, off) => got.push([off, b.toString('hex', s, e)]), (p) => got.push([p.offset, p.kind]), { chunkSize });
      assert.deepEqual(got, want.seen, `${label}, chunk ${chunkSize}`);
    }
  }
});

test('a record larger than the chunk is read whole; a huge length with a valid CRC is truncated without a huge allocation', () => {
  const r = createRng(13);
  const datas = [randomBytes(r, 10), randomBytes(r, 100_000), randomBytes(r, 3)];
  const file = tmpFile(oracle.frameRecords(datas));
  const got: string[] = [];
  scanRecordFile(file, (b, s, e) => got.push(b.toString('hex', s, e)), (p) => assert.fail(p.message), { chunkSize: 64 });
  assert.deepEqual(got, datas.map((d) => d.toString('hex')));

  const header = Buffer.alloc(12);
  header.writeUInt32LE(0xfffffff0, 0);
  header.writeUInt32LE(0x7fffffff, 4);
  header.writeUInt32LE(oracle.maskedCrc32c(header.subarray(0, 8)), 8);
  const huge = Buffer.concat([oracle.frameRecords([Buffer.from('ok')]), header, Buffer.alloc(40)]);
  const hugeFile = tmpFile(huge);
  const before = process.memoryUsage().arrayBuffers;
  const problems: RecordProblem[] = [];
  scanRecordFile(hugeFile, () => {}, (p) => problems.push(p));
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024);
  assert.deepEqual(problems, oracle.readAll(huge, hugeFile).problems);
});
