import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readDigitCsv } from '../../src/experiments/bn/data';
import { tempDir, rejectsWith } from './helpers';

const dir = tempDir('tbkit-csv-');
const HEADER = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');

function row(label: number | string, fill: (i: number) => number | string = (i) => (i * 3 + Number(label)) % 256): string {
  return [label, ...Array.from({ length: 784 }, (_, i) => fill(i))].join(',');
}

function write(name: string, lines: string[], eol = '\n'): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, lines.join(eol) + eol);
  return p;
}


test('reads a good train.csv (LF and CRLF, BOM, limit)', async () => {
  const rows = [row(1), row(0), row(9), row(4)];
  for (const [name, eol, bom] of [['good.csv', '\n', ''], ['good-crlf.csv', '\r\n', '\ufeff']] as const) {
    const file = write(name, [bom + HEADER, ...rows], eol);
    const ds = await readDigitCsv(file);
    assert.equal(ds.n, 4);
    assert.equal(ds.height, 28);
    assert.equal(ds.width, 28);
    assert.deepEqual(Array.from(ds.labels), [1, 0, 9, 4]);
    assert.equal(ds.images.length, 4 * 784);
    assert.equal(ds.images[784 * 2 + 10], (10 * 3 + 9) % 256);
    assert.equal(ds.images[783], (783 * 3 + 1) % 256);
  }
  const limited = await readDigitCsv(path.join(dir, 'good.csv'), { limit: 2 });
  assert.equal(limited.n, 2);
  assert.deepEqual(Array.from(limited.labels), [1, 0]);
  assert.equal(limited.images.length, 2 * 784);
});

test('streams a larger file across chunk boundaries', async () => {
  const lines = [HEADER];
  for (let i = 0; i < 1500; i++) lines.push(row(i % 10, (k) => (k + i) % 256));
  const file = write('big.csv', lines); // ~3.5 MB: several 1 MiB chunks
  const ds = await readDigitCsv(file);
  assert.equal(ds.n, 1500);
  for (const i of [0, 777, 1499]) {
    assert.equal(ds.labels[i], i % 10);
    assert.equal(ds.images[i * 784 + 500], (500 + i) % 256);
  }
});

test('each bad row is an error naming the file and line number', async () => {
  const good = row(3);
  const cases: [string, string[], RegExp[]][] = [
    ['cols.csv', [HEADER, good, good.split(',').slice(0, 700).join(',')], [/cols\.csv:3: wrong column count: 700 values, expected 785/]],
    ['extra.csv', [HEADER, good + ',0', good], [/extra\.csv:2: wrong column count: 786 values/]],
    ['float.csv', [HEADER, good, good, row(2, (i) => (i === 5 ? '12.5' : 0))], [/float\.csv:4: column 7 \(pixel5\): "12\.5" is not an integer/]],
    ['text.csv', [HEADER, row(2, (i) => (i === 0 ? 'abc' : 0))], [/text\.csv:2: column 2 \(pixel0\): "abc" is not an integer/]],
    ['empty-field.csv', [HEADER, row(2, (i) => (i === 783 ? '' : 0))], [/empty-field\.csv:2: column 785 \(pixel783\): "" is not an integer/]],
    ['range.csv', [HEADER, good, row(2, (i) => (i === 100 ? 256 : 0))], [/range\.csv:3: column 102 \(pixel100\): value 256 is out of range 0-255/]],
    ['negative.csv', [HEADER, row(2, (i) => (i === 1 ? -1 : 0))], [/negative\.csv:2: column 3 \(pixel1\): value -1 is out of range 0-255/]],
    ['label.csv', [HEADER, good, good, good, row(10)], [/label\.csv:5: label 10 is not a digit 0-9/]],
    ['label-text.csv', [HEADER, row('x')], [/label-text\.csv:2: column 1 \(label\): "x" is not an integer/]],
    ['noheader.csv', [good, good], [/noheader\.csv:1: missing header/, /label,pixel0/]],
    ['badheader.csv', [HEADER.replace('pixel17', 'pixel_17'), good], [/badheader\.csv:1: header column 19 is "pixel_17", expected "pixel17"/]],
    ['test.csv', [HEADER.replace('label,', ''), good.split(',').slice(1).join(',')], [/test\.csv:1: .*no "label" column/, /test\.csv/, /use train\.csv/]],
    ['headeronly.csv', [HEADER], [/headeronly\.csv: no data rows/]],
    ['empty.csv', [''], [/empty\.csv: empty file: missing header/]],
  ];
  for (const [name, lines, patterns] of cases) {
    await rejectsWith(readDigitCsv(write(name, lines)), ...patterns);
  }
  await rejectsWith(readDigitCsv(path.join(dir, 'does-not-exist.csv')), /does-not-exist\.csv: file not found/);
});
