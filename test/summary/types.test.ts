/** Every summary type round-trips through a real file; decoded values equal the inputs. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { SummaryWriter } from '../../src/summary';
import { computeBuckets } from '../../src/summary/histogram';
import { computePrCurve } from '../../src/summary/pr-curve';
import { defaultGroupName, pyFloatRepr } from '../../src/summary/hparams-values';
import { messageType } from '../../src/proto';
import { BASE, decode, records, tmpdir } from './helpers';

async function roundTrip(fn: (w: SummaryWriter) => void, opts = {}): Promise<{ evs: Record<string, any>[]; dir: string }> {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { now: () => BASE + 5, fileWallTime: BASE, ...opts });
  fn(w);
  await w.close();
  return { evs: records(w.path).slice(1).map(decode), dir };
}

function f64(t: any): Float64Array {
  const c = Buffer.from(t.tensor_content);
  return new Float64Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.length));
}
function f32(t: any): Float32Array {
  const c = Buffer.from(t.tensor_content);
  return new Float32Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.length));
}

test('histogram: hand-computed buckets, metadata, DT_DOUBLE [k,3]', async () => {
  const { evs, dir } = await roundTrip((w) => w.histogram('h', [0, 1, 2, 3, 4, 10], 3, { bins: 5 }));
  const v = evs[0].summary.value[0];
  assert.deepEqual(v.metadata, { plugin_data: { plugin_name: 'histograms' }, data_class: 2 });
  assert.equal(v.tensor.dtype, 2);
  assert.deepEqual(v.tensor.tensor_shape.dim.map((d: any) => d.size), [5, 3]);
  // width 2: [0,2) has 0,1; [2,4) has 2,3; [4,6) has 4; [8,10] has 10
  assert.deepEqual(Array.from(f64(v.tensor)), [0, 2, 2, 2, 4, 2, 4, 6, 1, 6, 8, 0, 8, 10, 1]);
  fs.rmSync(dir, { recursive: true });
});

test('histogram: all-equal values (TensorBoard: every edge = value, last bucket counts), NaN skipped, errors', () => {
  const b = computeBuckets('m', 'values', new Float32Array([2.5, 2.5, NaN, 2.5]), 4);
  assert.deepEqual(Array.from(b.data), [2.5, 2.5, 0, 2.5, 2.5, 0, 2.5, 2.5, 0, 2.5, 2.5, 3]);
  assert.equal(b.nonFinite, 1);
  assert.throws(() => computeBuckets('SummaryWriter.histogram', 'values', []), /values must be a non-empty array/);
  assert.throws(() => computeBuckets('SummaryWriter.histogram', 'values', [NaN, Infinity]), /at least one finite number/);
  const dir = tmpdir();
  const w = new SummaryWriter(dir);
  assert.throws(() => w.histogram('h', [], 0), /SummaryWriter\.histogram: values must be a non-empty array/);
  assert.throws(() => w.histogram('h', [1], 0, { bins: 0 }), /options\.bins must be an integer between 1/);
  assert.throws(() => w.histogram('h', 'x' as any, 0), /values must be an array of numbers/);
  void w.close();
  fs.rmSync(dir, { recursive: true });
});

// Its speed is measured by the bench (benchHistograms), not here: timings on a shared machine are noise.
test('histogram of 1M float32 values counts every value once', () => {
  const n = 1_000_000;
  const a = new Float32Array(n);
  let seed = 1;
  for (let i = 0; i < n; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; a[i] = seed / 0x7fffffff - 0.5; }
  const b = computeBuckets('m', 'v', a, 30);
  let total = 0;
  for (let k = 0; k < 30; k++) total += b.data[k * 3 + 2];
  assert.equal(total, n);
});

test('histogramRaw writes a legacy HistogramProto; mismatched arrays are an error', async () => {
  const { evs, dir } = await roundTrip((w) => w.histogramRaw('r', { min: -1, max: 1, num: 3, sum: 0.5, sumSquares: 1.25, bucketLimits: [0, 1], bucketCounts: [1, 2] }, 1));
  assert.deepEqual(evs[0].summary.value[0].histo, { min: -1, max: 1, num: 3, sum: 0.5, sum_squares: 1.25, bucket_limit: [0, 1], bucket: [1, 2] });
  const w = new SummaryWriter(dir);
  assert.throws(() => w.histogramRaw('r', { min: 0, max: 1, num: 1, sum: 1, sumSquares: 1, bucketLimits: [1, 2], bucketCounts: [1] }, 0), /histogram\.bucketCounts must be an array as long as/);
  await w.close();
  fs.rmSync(dir, { recursive: true });
});

test('images: several images in one event ([w, h, png, png]); PNGs decode to the same pixels', async () => {
  const rgb = new Uint8Array(3 * 2 * 3).map((_, i) => i * 10);
  const gray = new Float32Array([0, 0.5, 1, 0.25, 0.75, 1]);
  const rgba = { data: new Uint8ClampedArray(2 * 3 * 4).fill(200), height: 2, width: 3, channels: 4 as const };
  const tensor = { shape: [2, 3, 1], dtype: 'float32', data: async () => gray };
  const { evs, dir } = await roundTrip((w) => {
    w.images('imgs', [{ data: rgb, height: 2, width: 3, channels: 3 }, rgba], 1, { description: 'd' });
    w.image('gray', gray, 2, { height: 2, width: 3, channels: 1 });
    w.image('t', tensor, 3);
  });
  const v = evs[0].summary.value[0];
  assert.deepEqual(v.metadata, { plugin_data: { plugin_name: 'images' }, summary_description: 'd', data_class: 3 });
  assert.equal(v.tensor.dtype, 7);
  assert.deepEqual(v.tensor.tensor_shape.dim.map((d: any) => d.size), [4]);
  assert.equal(Buffer.from(v.tensor.string_val[0]).toString(), '3');
  assert.equal(Buffer.from(v.tensor.string_val[1]).toString(), '2');
  const p1 = PNG.sync.read(Buffer.from(v.tensor.string_val[2]));
  assert.equal(p1.width, 3);
  for (let i = 0; i < 6; i++) assert.deepEqual([...p1.data.subarray(i * 4, i * 4 + 3)], [...rgb.subarray(i * 3, i * 3 + 3)]);
  const p2 = PNG.sync.read(Buffer.from(v.tensor.string_val[3]));
  assert.ok(p2.data.every((x) => x === 200));
  const g = PNG.sync.read(Buffer.from(evs[1].summary.value[0].tensor.string_val[2]));
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => g.data[i * 4]), [0, 127, 255, 63, 191, 255]); // floor(v * 255.5)
  const t = PNG.sync.read(Buffer.from(evs[2].summary.value[0].tensor.string_val[2]));
  assert.equal(t.height, 2);
  fs.rmSync(dir, { recursive: true });
});

test('image errors name the argument and the fix', () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir);
  assert.throws(() => w.image('i', { data: new Uint8Array(5), height: 2, width: 3, channels: 1 }, 0), /img\.data must be 6 values \(height 2 × width 3 × channels 1, HWC order\)/);
  assert.throws(() => w.image('i', { data: new Uint8Array(12), height: 2, width: 3, channels: 2 as any }, 0), /img\.channels must be 1 \(grayscale\), 3 \(RGB\) or 4 \(RGBA\); received 2/);
  assert.throws(() => w.image('i', { data: new Float32Array([0, 1.5, 0, 0, 0, 0]), height: 2, width: 3, channels: 1 }, 0), /img\.data\[1\] must be a float pixel value in \[0, 1\].*received 1\.5/);
  assert.throws(() => w.image('i', { data: [0, NaN, 0, 0, 0, 0], height: 2, width: 3, channels: 1 }, 0), /received NaN/);
  assert.throws(() => w.images('i', [{ data: new Uint8Array(6), height: 2, width: 3, channels: 1 }, { data: new Uint8Array(6), height: 3, width: 2, channels: 1 }], 0), /imgs\[1\] must be an image of the same size as imgs\[0\] \(3×2\).*received "2×3"/);
  assert.throws(() => w.image('i', new Uint8Array(6), 0), /options must be \{ height, width, channels \}/);
  assert.throws(() => w.image('i', { png: Buffer.from('nope'), width: 1, height: 1 }, 0), /img\.png must be PNG bytes/);
  void w.close();
  fs.rmSync(dir, { recursive: true });
});

test('text: markdown (rank 0), list (rank 1), 2-D table: a markdown table with a header (rank 0), or headerless (rank 2)', async () => {
  const { evs, dir } = await roundTrip((w) => {
    w.text('md', '# Title\n*x*', 0);
    w.text('list', ['a', 'b', 'c'], 1);
    w.text('tab', [['a', 'b'], ['c', 'd'], ['e', 'f']], 2, { header: false });
    w.text('head', [['name', 'a|b'], ['*x*', 'two\nlines']], 3);
  });
  const [md, list, tab, head] = evs.map((e) => e.summary.value[0]);
  assert.equal(head.tensor.tensor_shape.dim, undefined);
  assert.equal(Buffer.from(head.tensor.string_val[0]).toString(), '| name | a\\|b |\n| --- | --- |\n| *x* | two<br>lines |');
  assert.deepEqual(md.metadata, { plugin_data: { plugin_name: 'text' }, data_class: 2 });
  assert.equal(Buffer.from(md.tensor.string_val[0]).toString(), '# Title\n*x*');
  assert.equal(md.tensor.tensor_shape.dim, undefined);
  assert.deepEqual(list.tensor.tensor_shape.dim.map((d: any) => d.size), [3]);
  assert.deepEqual(tab.tensor.tensor_shape.dim.map((d: any) => d.size), [3, 2]);
  assert.deepEqual(tab.tensor.string_val.map((b: Uint8Array) => Buffer.from(b).toString()), ['a', 'b', 'c', 'd', 'e', 'f']);
  const w = new SummaryWriter(dir);
  assert.throws(() => w.text('t', [['a'], ['b', 'c']], 0), /text\[1\] must be a row of 1 strings \(tables must be rectangular\)/);
  assert.throws(() => w.text('t', 5 as any, 0), /text must be a string/);
  assert.throws(() => w.text('t', [['a']], 0, { header: 'yes' as any }), /options\.header must be true or false/);
  await w.close();
  fs.rmSync(dir, { recursive: true });
});

test('audio: 16-bit PCM WAV header fields and samples; [k,2] tensor; WAV plugin content', async () => {
  const mono = new Float32Array([0, 0.5, -0.5, 1, -1, 2]);
  const { evs, dir } = await roundTrip((w) => {
    w.audio('a', mono, 0, { sampleRate: 8000, label: 'hi' });
    w.audio('st', [new Float32Array([0.1, 0.2]), new Float32Array([-0.1, -0.2])], 0, { sampleRate: 44100 });
  });
  const v = evs[0].summary.value[0];
  // No data class (as TensorBoard's own audio summary): the loaders then keep the wav column only.
  assert.deepEqual(v.metadata, { plugin_data: { plugin_name: 'audio', content: Buffer.from([0x10, 0x0b]) } });
  assert.deepEqual(v.tensor.tensor_shape.dim.map((d: any) => d.size), [1, 2]);
  const wav = Buffer.from(v.tensor.string_val[0]);
  assert.equal(Buffer.from(v.tensor.string_val[1]).toString(), 'hi');
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.equal(wav.readUInt32LE(4), 36 + 12);
  assert.equal(wav.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.equal(wav.readUInt16LE(20), 1);
  assert.equal(wav.readUInt16LE(22), 1);
  assert.equal(wav.readUInt32LE(24), 8000);
  assert.equal(wav.readUInt32LE(28), 16000);
  assert.equal(wav.readUInt16LE(32), 2);
  assert.equal(wav.readUInt16LE(34), 16);
  assert.equal(wav.toString('ascii', 36, 40), 'data');
  assert.equal(wav.readUInt32LE(40), 12);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => wav.readInt16LE(44 + 2 * i)), [0, 16384, -16384, 32767, -32768, 32767]);
  const st = Buffer.from(evs[1].summary.value[0].tensor.string_val[0]);
  assert.equal(st.readUInt16LE(22), 2);
  assert.deepEqual([0, 1, 2, 3].map((i) => st.readInt16LE(44 + 2 * i)), [3277, -3277, 6554, -6554]);
  const w = new SummaryWriter(dir);
  assert.throws(() => w.audio('a', mono, 0, {} as any), /options\.sampleRate must be a positive integer/);
  assert.throws(() => w.audio('a', [0, NaN], 0, { sampleRate: 1 }), /samples\[1\] must be a number in \[-1, 1\]; received NaN/);
  await w.close();
  fs.rmSync(dir, { recursive: true });
});

test('pr curve: hand-computed example (5 thresholds) and file round trip', async () => {
  // thresholds 0, .25, .5, .75, 1; predictions → buckets floor(p*4)
  const labels = [true, false, true, true, false];
  const preds = [0.9, 0.8, 0.3, 0.6, 0.1]; // buckets 3, 3, 1, 2, 0
  const d = computePrCurve('m', labels, preds, 5);
  const row = (r: number) => Array.from(d.subarray(r * 5, r * 5 + 5));
  assert.deepEqual(row(0), [3, 3, 2, 1, 0]); // TP: positives with bucket ≥ i
  assert.deepEqual(row(1), [2, 1, 1, 1, 0]); // FP
  assert.deepEqual(row(2), [0, 1, 1, 1, 2]); // TN = FP[0] - FP
  assert.deepEqual(row(3), [0, 0, 1, 2, 3]); // FN = TP[0] - TP
  assert.deepEqual(row(4), [3 / 5, 3 / 4, 2 / 3, 1 / 2, 0]);
  assert.deepEqual(row(5), [1, 1, 2 / 3, 1 / 3, 0]);
  const { evs, dir } = await roundTrip((w) => w.prCurve('pr', labels, preds, 7, { numThresholds: 5 }));
  const v = evs[0].summary.value[0];
  assert.deepEqual(v.metadata, { plugin_data: { plugin_name: 'pr_curves', content: Buffer.from([0x10, 5]) }, data_class: 2 });
  assert.equal(v.tensor.dtype, 1);
  assert.deepEqual(v.tensor.tensor_shape.dim.map((x: any) => x.size), [6, 5]);
  assert.deepEqual(Array.from(f32(v.tensor)), Array.from(d, Math.fround));
  const w = new SummaryWriter(dir);
  assert.throws(() => w.prCurve('pr', [true], [1.5], 0), /predictions\[0\] must be a number in \[0, 1\]; received 1\.5/);
  assert.throws(() => w.prCurve('pr', [true, false], [0.5], 0), /labels must be an array as long as predictions \(1\)/);
  await w.close();
  fs.rmSync(dir, { recursive: true });
});

test('custom scalars layout: tensorboardX form and explicit form encode the same Layout', async () => {
  const { evs, dir } = await roundTrip((w) => {
    w.customScalars({ Losses: { both: ['Multiline', ['loss', 'val_loss']] }, Acc: { band: ['Margin', ['acc', 'acc_lo', 'acc_hi']] } });
    w.customScalars({ categories: [{ title: 'Losses', charts: [{ title: 'both', multiline: ['loss', 'val_loss'] }] }, { title: 'Acc', charts: [{ title: 'band', margin: [{ value: 'acc', lower: 'acc_lo', upper: 'acc_hi' }] }] }] }, { step: 1 });
  });
  const v = evs[0].summary.value[0];
  assert.equal(v.tag, 'custom_scalars__config__');
  assert.deepEqual(v.metadata, { plugin_data: { plugin_name: 'custom_scalars' }, data_class: 2 });
  const L = messageType('tensorboard.Layout');
  const layout = L.toObject(L.decode(v.tensor.string_val[0])) as any;
  assert.deepEqual(layout.category[0], { title: 'Losses', chart: [{ title: 'both', multiline: { tag: ['loss', 'val_loss'] } }] });
  assert.deepEqual(layout.category[1].chart[0].margin.series[0], { value: 'acc', lower: 'acc_lo', upper: 'acc_hi' });
  assert.deepEqual(Buffer.from(evs[1].summary.value[0].tensor.string_val[0]), Buffer.from(v.tensor.string_val[0]));
  fs.rmSync(dir, { recursive: true });
});

test('graph: tfjs LayersModel (duck-typed toJSON) → graph_keras_model, tag keras, content "1", no data class, rank 0', async () => {
  const model = { toJSON: (_: unknown, returnString: boolean) => (returnString ? '{"class_name":"Sequential","config":{"layers":[]}}' : {}) };
  const { evs, dir } = await roundTrip((w) => w.graph(model));
  const v = evs[0].summary.value[0];
  assert.equal(v.tag, 'keras');
  assert.deepEqual(v.metadata, { plugin_data: { plugin_name: 'graph_keras_model', content: Buffer.from('1') } });
  assert.equal(v.tensor.dtype, 7);
  assert.equal(v.tensor.tensor_shape.dim, undefined);
  assert.equal(JSON.parse(Buffer.from(v.tensor.string_val[0]).toString()).class_name, 'Sequential');
  fs.rmSync(dir, { recursive: true });
});

test('embedding: tensors.tsv, metadata.tsv, sprite.png and merged projector_config.pbtxt', async () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { now: () => BASE });
  const img = (v: number) => ({ data: new Uint8Array(2 * 2 * 3).fill(v), height: 2, width: 2, channels: 3 as const });
  w.embedding([[1, 2], [3, 4.5], [5, 6]], { metadata: ['a', 'b', 'c'], labelImages: [img(10), img(20), img(30)], step: 3 });
  w.embedding(new Float32Array([1, 2, 3, 4]), { shape: [2, 2], metadata: [['x', '1'], ['y', '2']], metadataHeader: ['name', 'n'], tag: 'other' });
  w.embedding([[7, 8], [9, 10], [11, 12]], { step: 3 }); // replaces the default:00003 block
  await w.close();
  assert.equal(fs.readFileSync(path.join(dir, '00003/default/tensors.tsv'), 'utf8'), '7\t8\n9\t10\n11\t12\n');
  assert.equal(fs.readFileSync(path.join(dir, '00003/default/metadata.tsv'), 'utf8'), 'a\nb\nc\n');
  assert.equal(fs.readFileSync(path.join(dir, '00000/other/metadata.tsv'), 'utf8'), 'name\tn\nx\t1\ny\t2\n');
  const sprite = PNG.sync.read(fs.readFileSync(path.join(dir, '00003/default/sprite.png')));
  assert.equal(sprite.width, 4); // ceil(sqrt(3)) = 2 images per row
  assert.equal(sprite.data[(0 * 4 + 2) * 4], 20); // second image, top row
  assert.equal(sprite.data[(2 * 4 + 0) * 4], 30); // third image, second row
  const cfg = fs.readFileSync(path.join(dir, 'projector_config.pbtxt'), 'utf8');
  assert.equal((cfg.match(/embeddings \{/g) ?? []).length, 2);
  assert.match(cfg, /tensor_name: "other:00000"\ntensor_path: "00000\/other\/tensors.tsv"\nmetadata_path: "00000\/other\/metadata.tsv"\n\}/);
  assert.match(cfg, /tensor_name: "default:00003"\ntensor_path: "00003\/default\/tensors.tsv"\n\}/);
  const w2 = new SummaryWriter(dir);
  assert.throws(() => w2.embedding([[1], [2]], { metadata: ['a'] }), /options\.metadata must be 2 entries/);
  assert.throws(() => w2.embedding([[1], [2]], { tag: '../x' }), /options\.tag must be a single path component/);
  assert.throws(() => w2.embedding([[1], [2, 3]]), /mat\[1\] must be a row of 1 numbers/);
  await w2.close();
  fs.rmSync(dir, { recursive: true });
});

test('hparams: same run, sorted map, no group name, experiment (domains given), metrics as scalars, end on close', async () => {
  const dir = tmpdir();
  let t = BASE + 10;
  const w = new SummaryWriter(dir, { now: () => t, fileWallTime: BASE });
  w.hparams({ optimizer: 'adam', lr: 0.01, use_bn: true, '10': 1, '2': 2 }, { 'hp/acc': 0.9 }, { domains: { optimizer: ['adam', 'sgd'] }, metricInfos: { 'hp/acc': { displayName: 'Acc', datasetType: 'validation' } } });
  w.scalar('loss', 1, 1);
  t = BASE + 20;
  await w.close();
  const evs = records(w.path).slice(1).map(decode);
  const HP = messageType('tensorboard.hparams.HParamsPluginData');
  const content = (e: any) => HP.toObject(HP.decode(e.summary.value[0].metadata.plugin_data.content), { longs: Number, enums: String }) as any;
  assert.deepEqual(evs.map((e) => e.summary.value.map((v: any) => v.tag).join(',')), ['_hparams_/experiment', '_hparams_/session_start_info', 'hp/acc', 'loss', '_hparams_/session_end_info']);
  assert.deepEqual(evs[0].summary.value[0].metadata.data_class, 2);
  const exp = content(evs[0]).experiment;
  assert.deepEqual(exp.hparam_infos.map((h: any) => [h.name, h.type]), [['2', 'DATA_TYPE_FLOAT64'], ['10', 'DATA_TYPE_FLOAT64'], ['optimizer', 'DATA_TYPE_STRING'], ['lr', 'DATA_TYPE_FLOAT64'], ['use_bn', 'DATA_TYPE_BOOL']]);
  assert.ok(exp.hparam_infos[2].domain_discrete);
  assert.equal(exp.hparam_infos[3].domain_interval, undefined, 'no domain unless given');
  assert.deepEqual(exp.metric_infos, [{ name: { tag: 'hp/acc' }, display_name: 'Acc', dataset_type: 'DATASET_VALIDATION' }]);
  const start = content(evs[1]).session_start_info;
  // map keys in Python sorted() order on the wire
  const raw = Buffer.from(evs[1].summary.value[0].metadata.plugin_data.content);
  const order = ['10', '2', 'lr', 'optimizer', 'use_bn'].map((k) => raw.indexOf(Buffer.from(`\n${String.fromCharCode(k.length)}${k}`)));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  assert.equal(start.group_name, undefined, 'no group name: TensorBoard names the group by the run');
  assert.equal(start.start_time_secs, BASE + 10);
  assert.equal(evs[2].summary.value[0].tensor.float_val[0], Math.fround(0.9));
  const end = content(evs[4]).session_end_info;
  assert.deepEqual(end, { status: 'STATUS_SUCCESS', end_time_secs: BASE + 20 });
  fs.rmSync(dir, { recursive: true });
});

test('hparams: close({status: "failure"}); endHparams(); unsupported types name the key', async () => {
  const { evs, dir } = await (async () => {
    const dir = tmpdir();
    const w = new SummaryWriter(dir, { now: () => BASE });
    w.hparams({ a: 1 }, ['m'], { experiment: false });
    await w.close({ status: 'failure' });
    return { evs: records(w.path).slice(1).map(decode), dir };
  })();
  const HP = messageType('tensorboard.hparams.HParamsPluginData');
  assert.equal(evs.length, 2);
  assert.equal((HP.decode(evs[1].summary.value[0].metadata.plugin_data.content) as any).session_end_info.status, 2);
  const w = new SummaryWriter(dir);
  assert.throws(() => w.hparams({ a: { b: 1 } } as any), /hparams\["a"\] must be a string, a finite number or a boolean.*received an object/);
  assert.throws(() => w.hparams({ a: [1] } as any), /hparams\["a"\].*received an array/);
  assert.throws(() => w.hparams({ a: undefined } as any), /hparams\["a"\].*received undefined/);
  assert.throws(() => w.hparams({ a: NaN }), /hparams\["a"\] must be/);
  assert.throws(() => w.endHparams('done' as any), /status must be 'success', 'failure', 'running' or 'unknown'/);
  await w.close();
  fs.rmSync(dir, { recursive: true });
});

test('default group name equals TensorBoard sha256(json.dumps(sort_keys, compact))', () => {
  // python3 -c 'import json,hashlib;print(hashlib.sha256(json.dumps({"lr":0.01,"optimizer":"adam","layers":3,"use_bn":True},sort_keys=True,separators=(",",":")).encode()).hexdigest())'
  const crypto = require('node:crypto');
  const expected = crypto.createHash('sha256').update('{"layers":3,"lr":0.01,"optimizer":"adam","use_bn":true}').digest('hex');
  assert.equal(defaultGroupName({ lr: 0.01, optimizer: 'adam', layers: 3, use_bn: true }), expected);
  assert.equal(pyFloatRepr(1e-5), '1e-05');
  assert.equal(pyFloatRepr(0.0001), '0.0001');
  assert.equal(pyFloatRepr(1.5e20), '1.5e+20');
  assert.equal(pyFloatRepr(2.5), '2.5');
});

test('addSessionStart writes SessionLog START; writeEvent escape hatch; closed writer refuses', async () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { now: () => BASE });
  w.addSessionStart(5);
  w.writeEvent({ wall_time: BASE, step: 6, log_message: { level: 20, message: 'hi' } });
  await w.close();
  const evs = records(w.path).slice(1).map(decode);
  assert.deepEqual(evs[0], { wall_time: BASE, step: 5, session_log: { status: 1 } });
  assert.equal(evs[1].log_message.message, 'hi');
  assert.throws(() => w.scalar('x', 1, 0), /SummaryWriter\.scalar: the writer for .* is closed/);
  assert.equal(w.droppedEvents, 0);
  fs.rmSync(dir, { recursive: true });
});
