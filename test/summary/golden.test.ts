/**
 * Byte-for-byte reproduction of the golden files written by TensorBoard's own Python writer
 * (test/fixtures/golden): whole files are compared with the manifest's sha256.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as crypto from 'node:crypto';
import { SummaryWriter, writeHparamsExperiment } from '../../src/summary/summary-writer';
import { BASE, GOLDEN, TB_WRITER, decode, goldenFile, hex, records, tmpdir } from './helpers';

const manifest = JSON.parse(fs.readFileSync(`${GOLDEN}/manifest.json`, 'utf8'));
function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
function wantSha(rel: string): string {
  return manifest.files.find((f: { path: string }) => f.path === rel).sha256;
}

/** Compares record by record first (readable failures), then the whole file. */
function assertSameFile(ours: string, rel: string): void {
  const a = records(ours).map(hex);
  const b = records(goldenFile(rel)).map(hex);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    assert.equal(a[i], b[i], `${rel}: record ${i} differs: ours ${JSON.stringify(a[i] && decode(Buffer.from(a[i], 'hex')))} golden ${JSON.stringify(b[i] && decode(Buffer.from(b[i], 'hex')))}`);
  }
  assert.equal(sha(ours), wantSha(rel));
}

/** Pieces of the golden run_a we cannot regenerate (random histogram samples, PIL PNG bytes). */
function goldenInputs(rel: string) {
  const hist = new Map<number, number[][]>();
  const imgs = new Map<number, Buffer[]>();
  for (const r of records(goldenFile(rel))) {
    const ev = decode(r);
    const v = ev.summary?.value?.[0];
    if (v?.tag === 'weights') {
      const c = Buffer.from(v.tensor.tensor_content);
      const f = new Float64Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.length));
      const rows: number[][] = [];
      for (let i = 0; i < f.length; i += 3) rows.push([f[i], f[i + 1], f[i + 2]]);
      hist.set(ev.step ?? 0, rows);
    }
    if (v?.tag === 'samples') imgs.set(ev.step ?? 0, v.tensor.string_val.slice(2).map((b: Uint8Array) => Buffer.from(b)));
  }
  return { hist, imgs };
}

test('root run "." (hparams experiment only) is reproduced byte for byte', async () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { flavor: 'tensorboard', fileWallTime: BASE, writerName: TB_WRITER });
  writeHparamsExperiment(w, {
    hparams: [
      { name: 'lr', displayName: 'learning rate', description: 'Learning rate', domain: { min: 1e-4, max: 1e-1 } },
      { name: 'optimizer', domain: ['adam', 'sgd'] },
      { name: 'layers', domain: { min: 1, max: 8 } },
      { name: 'use_bn', domain: [false, true] },
    ],
    metrics: [
      { tag: 'loss', displayName: 'Loss', datasetType: 'training' },
      { tag: 'accuracy', displayName: 'Accuracy', datasetType: 'validation' },
    ],
    timeCreatedSecs: BASE,
  }, { wallTime: BASE + 1 });
  await w.close();
  assertSameFile(w.path, 'events.out.tfevents.1700000000.tbref.0.0');
  fs.rmSync(dir, { recursive: true });
});

test('run_a (hparams, scalars, histograms, images, text, session end) is reproduced byte for byte', async () => {
  const rel = 'run_a/events.out.tfevents.1700000000.tbref.0.1';
  const { hist, imgs } = goldenInputs(rel);
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { flavor: 'tensorboard', fileWallTime: BASE, writerName: TB_WRITER });
  w.hparams({ lr: 0.01, optimizer: 'adam', layers: 3, use_bn: true }, undefined, { groupName: 'run_a', startTimeSecs: BASE, wallTime: BASE + 2, experiment: false });
  for (let s = 0; s < 10; s++) {
    const wt = BASE + 10 + 1.5 * s;
    w.scalar('loss', 1 / (s + 1), s, { wallTime: wt, description: 'training loss' });
    w.scalar('accuracy', 0.1 * s, s, { wallTime: wt + 0.25 });
    if (hist.has(s)) w.histogramBuckets('weights', hist.get(s)!, s, { wallTime: wt + 0.5, description: 'weights histogram' });
    if (imgs.has(s)) w.images('samples', imgs.get(s)!.map((png) => ({ png, width: 4, height: 3 })), s, { wallTime: wt + 0.75, description: 'two 4x3 images' });
    if (s === 0) w.text('notes', '# Hello\n*markdown* text, step 0', s, { wallTime: wt + 1, description: 'notes' });
    // TensorBoard's text summary of a 2-D array: a rank-2 tensor, a table without a header row.
    if (s === 9) w.text('notes', [['a', 'b'], ['c', 'd']], s, { wallTime: wt + 1, header: false });
  }
  w.endHparams('success', { endTimeSecs: BASE + 99, wallTime: BASE + 99 });
  await w.close();
  assertSameFile(w.path, rel);
  fs.rmSync(dir, { recursive: true });
});

test('run_b (two files: restart at step 5 into a .v2 file) is reproduced byte for byte', async () => {
  const dir = tmpdir();
  const b = BASE + 100;
  const w1 = new SummaryWriter(dir, { flavor: 'tensorboard', fileWallTime: b, writerName: TB_WRITER });
  w1.hparams({ lr: 0.001, optimizer: 'sgd', layers: 2, use_bn: false }, undefined, { groupName: 'run_b', startTimeSecs: b, wallTime: b + 2, experiment: false });
  const log = (w: SummaryWriter, s: number) => {
    const wt = b + 10 + 1.5 * s;
    w.scalar('loss', 1 / (s + 1) + 0.05, s, { wallTime: wt, description: 'training loss' });
    w.scalar('accuracy', 0.1 * s + 0.01, s, { wallTime: wt + 0.25 });
  };
  for (let s = 0; s < 5; s++) log(w1, s);
  await w1.close({ status: 'failure' }); // the golden first file has no session end: the process "died"
  // (close() writes session_end_info when hparams() was called: strip it for this comparison)
  const w2 = new SummaryWriter(dir, { flavor: 'tensorboard', fileWallTime: b + 50, writerName: TB_WRITER, filenameSuffix: '.v2' });
  for (let s = 5; s < 10; s++) log(w2, s);
  w2.endHparams('success', { endTimeSecs: b + 99, wallTime: b + 99 });
  await w2.close();
  const r1 = records(w1.path);
  const g1 = records(goldenFile('run_b/events.out.tfevents.1700000100.tbref.0.2'));
  assert.equal(decode(r1[r1.length - 1]).summary.value[0].tag, '_hparams_/session_end_info');
  assert.deepEqual(r1.slice(0, -1).map(hex), g1.map(hex));
  assertSameFile(w2.path, 'run_b/events.out.tfevents.1700000150.tbref.0.3.v2');
  fs.rmSync(dir, { recursive: true });
});

test('legacy_v1 simple_value scalars and raw HistogramProto records are reproduced', async () => {
  const rel = 'legacy_v1/events.out.tfevents.1700000300.tbref.0.4';
  const golden = records(goldenFile(rel));
  const h = decode(golden[6]).summary.value[0].histo;
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { scalarFormat: 'simple_value', fileWallTime: BASE + 300, writerName: TB_WRITER });
  for (let s = 0; s <= 40; s += 10) w.scalar('legacy/loss', 2 - s / 25, s, { wallTime: BASE + 300 + s });
  w.histogramRaw('legacy/weights', { min: h.min, max: h.max, num: h.num, sum: h.sum, sumSquares: h.sum_squares, bucketLimits: h.bucket_limit, bucketCounts: h.bucket }, 20, { wallTime: BASE + 320.5 });
  await w.close();
  assert.deepEqual(records(w.path).map(hex), golden.slice(0, 7).map(hex));
  fs.rmSync(dir, { recursive: true });
});
