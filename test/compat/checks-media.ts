/**
 * Checks of the scalar, histogram, image, text, audio, PR-curve, custom-scalars and projector
 * dashboards: what TensorBoard's HTTP data API serves against what write-logdir.ts wrote.
 * Expected values are computed here from TensorBoard's own algorithms (histogram_pb, pr_curve's
 * pb, the PR plugin's tail trimming), not taken from tbkit.
 */
import * as assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import type { Check, TensorBoardServer } from './tensorboard-server';
import { scalars } from './tb-api';
import { RUNS, W, histogramValues } from './write-logdir';

type Blob = { wall_time: number; step: number; query: string; label?: string; contentType?: string };

const f32 = Math.fround;

/** TensorBoard's histogram_pb buckets (numpy: floor of offset / width, clamped; linspace edges). */
function expectedBuckets(data: Float64Array, n: number): number[][] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) { min = Math.min(min, v); max = Math.max(max, v); }
  const width = (max - min) / n;
  const counts = new Array<number>(n).fill(0);
  for (const v of data) counts[Math.min(Math.floor((v - min) / width), n - 1)]++;
  const edge = (i: number): number => (i === n ? max : i * width + min);
  return counts.map((c, i) => [edge(i), edge(i + 1), c]);
}

/** A decoded PNG's RGB bytes (TensorBoard serves the PNG as written). */
function pngRgb(buf: Buffer): { width: number; height: number; rgb: Uint8Array } {
  const png = PNG.sync.read(buf);
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = png.data[p * 4 + c];
  return { width: png.width, height: png.height, rgb };
}

async function blob(tb: TensorBoardServer, plugin: string, route: string, query: string): Promise<Buffer> {
  const r = await tb.get(`/data/plugin/${plugin}/${route}?${query}`);
  assert.equal(r.status, 200, `${plugin}/${route}: HTTP ${r.status}`);
  return r.body;
}

/** int16 samples as TensorFlow's encode_wav makes them from floats in [-1, 1]. */
function pcm16(v: number): number {
  const x = f32(v) * 32768;
  const r = x < 0 ? -Math.round(-x) : Math.round(x);
  return Math.max(-32768, Math.min(32767, r)) + 0; // + 0: no -0 (readInt16LE gives 0)
}

/** Checks a served WAV: RIFF PCM header, rate, channels, every interleaved sample. */
function assertWav(buf: Buffer, rate: number, channels: readonly Float32Array[]): void {
  assert.ok(buf.length >= 44, `a WAV file (44-byte header + samples), got ${buf.length} bytes: ${JSON.stringify(buf.subarray(0, 16).toString('latin1'))}`);
  assert.equal(buf.toString('ascii', 0, 4), 'RIFF');
  assert.equal(buf.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.equal(buf.readUInt16LE(20), 1, 'PCM');
  assert.equal(buf.readUInt16LE(22), channels.length, 'channels');
  assert.equal(buf.readUInt32LE(24), rate, 'sample rate');
  assert.equal(buf.readUInt16LE(34), 16, 'bits per sample');
  const frames = channels[0].length;
  assert.equal(buf.readUInt32LE(40), frames * channels.length * 2, 'data bytes');
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels.length; c++) {
      assert.equal(buf.readInt16LE(44 + (f * channels.length + c) * 2), pcm16(channels[c][f]), `sample ${f} of channel ${c}`);
    }
  }
}

async function audioCheck(tb: TensorBoardServer, tag: string, step: number, rate: number, channels: readonly Float32Array[]): Promise<void> {
  const tags = await tb.json<Record<string, Record<string, { samples: number }>>>('/data/plugin/audio/tags');
  assert.equal(tags.media?.[tag]?.samples, 1, `one clip per step for ${tag}`);
  const list = await tb.json<Blob[]>(`/data/plugin/audio/audio?run=media&tag=${tag}&sample=0`);
  assert.deepEqual(list.map((e) => [e.step, e.contentType]), [[step, 'audio/wav']]);
  assertWav(await blob(tb, 'audio', 'individualAudio', list[0].query), rate, channels);
}

/** TP, FP, TN, FN, precision, recall as pr_curve's summary computes them (bucket = floor(p · (N − 1))). */
function expectedPr(): Record<string, number[]> {
  const { labels, predictions, numThresholds: n } = W.pr;
  const tp = new Array<number>(n).fill(0);
  const fp = new Array<number>(n).fill(0);
  predictions.forEach((p, i) => {
    const bucket = Math.floor(p * (n - 1));
    for (let t = 0; t <= bucket; t++) (labels[i] ? tp : fp)[t]++;
  });
  // The plugin drops the tail where TP + FP = 0 (precision undefined).
  let end = n;
  while (end > 1 && tp[end - 1] + fp[end - 1] === 0) end--;
  const cut = (a: number[]): number[] => a.slice(0, end);
  return {
    true_positives: cut(tp), false_positives: cut(fp),
    true_negatives: cut(fp.map((x) => fp[0] - x)), false_negatives: cut(tp.map((x) => tp[0] - x)),
    precision: cut(tp.map((x, i) => f32(x / Math.max(1e-7, x + fp[i])))),
    recall: cut(tp.map((x) => f32(x / Math.max(1e-7, tp[0])))),
  };
}

export const mediaChecks: Check[] = [
  {
    name: 'runs: every run directory is a run',
    run: async (tb) => assert.deepEqual((await tb.json<string[]>('/data/runs')).sort(), [...RUNS].sort()),
  },
  {
    name: 'scalars: tensor format, several tags per event, description, display name, a 2^40 step',
    run: async (tb) => {
      const tags = await tb.json<Record<string, Record<string, { displayName: string; description: string }>>>('/data/plugin/scalars/tags');
      assert.deepEqual(Object.keys(tags.scalars).sort(), ['big', 'loss', 'multi/a', 'multi/b']);
      assert.deepEqual(tags.scalars.loss, { displayName: 'Loss', description: '<p>training loss</p>' });
      assert.deepEqual(await scalars(tb, 'scalars', 'loss'), W.lossSteps.map((s) => [W.base + s, s, f32(W.loss(s))]));
      assert.deepEqual(await scalars(tb, 'scalars', 'multi/a'), W.lossSteps.map((s) => [W.base + s, s, s]));
      assert.deepEqual(await scalars(tb, 'scalars', 'multi/b'), W.lossSteps.map((s) => [W.base + s, s, -2 * s]));
      assert.deepEqual(await scalars(tb, 'scalars', 'big'), [[W.base + 100, W.bigStep, 7]]);
    },
  },
  {
    name: 'scalars: legacy simple_value format',
    run: async (tb) => assert.deepEqual(await scalars(tb, 'scalars-simple', 'loss'), W.lossSteps.map((s) => [W.base + s, s, f32(W.loss(s))])),
  },
  {
    name: 'histograms: steps, 30 buckets, edges and counts as histogram_pb computes them',
    run: async (tb) => {
      const h = await tb.json<[number, number, number[][]][]>('/data/plugin/histograms/histograms?run=media&tag=weights');
      assert.deepEqual(h.map((e) => [e[0], e[1]]), W.histogramSteps.map((s) => [W.base + s, s]));
      h.forEach((e, i) => assert.deepEqual(e[2], expectedBuckets(histogramValues(W.histogramSteps[i]), W.histogramBins), `step ${e[1]}`));
    },
  },
  {
    name: 'images: one image, its description, its pixels',
    run: async (tb) => {
      const tags = await tb.json<Record<string, Record<string, { description: string; samples: number }>>>('/data/plugin/images/tags');
      assert.deepEqual([tags.media.input.description, tags.media.input.samples], ['<p>one RGB image</p>', 1]);
      const list = await tb.json<Blob[]>(`/data/plugin/images/images?run=media&tag=${W.image.tag}&sample=0`);
      assert.deepEqual(list.map((e) => e.step), [W.image.step]);
      const png = pngRgb(await blob(tb, 'images', 'individualImage', list[0].query));
      assert.deepEqual(png, { width: W.image.img.width, height: W.image.img.height, rgb: W.image.img.data });
    },
  },
  {
    name: 'images: three images in one step, each sample\'s pixels',
    run: async (tb) => {
      const tags = await tb.json<Record<string, Record<string, { samples: number }>>>('/data/plugin/images/tags');
      assert.equal(tags.media.samples.samples, W.images.imgs.length);
      for (const [i, img] of W.images.imgs.entries()) {
        const list = await tb.json<Blob[]>(`/data/plugin/images/images?run=media&tag=${W.images.tag}&sample=${i}`);
        assert.deepEqual(list.map((e) => e.step), [W.images.step]);
        assert.deepEqual(pngRgb(await blob(tb, 'images', 'individualImage', list[0].query)), { width: img.width, height: img.height, rgb: img.data });
      }
    },
  },
  {
    name: 'text: markdown and a list',
    run: async (tb) => {
      const notes = await tb.json<{ step: number; text: string }[]>('/data/plugin/text/text?run=media&tag=notes');
      assert.deepEqual(notes.map((e) => [e.step, e.text]), [[0, '<h1>Hello</h1>\n<p><em>markdown</em> text</p>']]);
      const list = await tb.json<{ text: string }[]>('/data/plugin/text/text?run=media&tag=list');
      assert.deepEqual(cells(list[0].text, 'td'), W.list);
    },
  },
  {
    name: 'text: a 2-D table shows every cell in order',
    run: async (tb) => {
      const t = await tb.json<{ text: string }[]>('/data/plugin/text/text?run=media&tag=table');
      assert.deepEqual(cells(t[0].text, 't[dh]'), W.table.flat());
    },
  },
  {
    name: 'text: a 2-D table\'s first row is its header',
    run: async (tb) => {
      const html = (await tb.json<{ text: string }[]>('/data/plugin/text/text?run=media&tag=table'))[0].text;
      const head = /<thead>([\s\S]*?)<\/thead>/.exec(html);
      assert.ok(head, `a <thead> in ${JSON.stringify(html)}`);
      assert.deepEqual(cells(head[1], 'th'), W.table[0]);
      assert.deepEqual(cells(html.replace(head[0], ''), 'td'), W.table.slice(1).flat());
    },
  },
  {
    name: 'audio: a mono clip, its WAV header and every sample',
    run: (tb) => audioCheck(tb, W.audio.tag, W.audio.step, W.audio.rate, [W.audio.samples]),
  },
  {
    name: 'audio: a stereo clip, interleaved samples',
    run: (tb) => audioCheck(tb, W.stereo.tag, W.stereo.step, W.stereo.rate, W.stereo.channels),
  },
  {
    name: 'pr curves: counts, precision and recall per threshold',
    run: async (tb) => {
      const r = await tb.json<{ media: Array<Record<string, number[] | number>> }>(`/data/plugin/pr_curves/pr_curves?run=media&tag=${W.pr.tag}`);
      assert.equal(r.media.length, 1);
      const { wall_time: _w, step, thresholds, ...rest } = r.media[0];
      assert.equal(step, W.pr.step);
      const want = expectedPr();
      assert.deepEqual(rest, want);
      assert.equal((thresholds as number[]).length, want.precision.length);
      (thresholds as number[]).forEach((t, i) => assert.ok(Math.abs(t - i / (W.pr.numThresholds - 1)) < 1e-12, `threshold ${i}: ${t}`));
    },
  },
  {
    name: 'custom scalars: the layout, both chart kinds',
    run: async (tb) => {
      const layout = await tb.json<unknown>('/data/plugin/custom_scalars/layout');
      assert.deepEqual(layout, {
        category: [
          { title: 'Losses', chart: [{ title: 'both', multiline: { tag: ['loss', 'multi/.*'] } }], closed: false },
          { title: 'Bands', chart: [{ title: 'band', margin: { series: [{ value: 'multi/a', lower: 'multi/b', upper: 'loss' }] } }], closed: false },
        ],
        version: 0,
      });
    },
  },
  {
    name: 'projector: config, tensor values, labels and sprite',
    run: async (tb) => {
      assert.deepEqual(await tb.json('/data/plugin/projector/runs'), ['projector']);
      const info = await tb.json<{ embeddings: Array<Record<string, unknown>> }>('/data/plugin/projector/info?run=projector');
      const name = 'points:00000';
      assert.deepEqual(info.embeddings, [{
        tensorName: name, tensorShape: [4, 3], tensorPath: '00000/points/tensors.tsv', metadataPath: '00000/points/metadata.tsv',
        sprite: { imagePath: '00000/points/sprite.png', singleImageDim: [2, 2] },
      }]);
      const q = `run=projector&name=${encodeURIComponent(name)}`;
      const t = await blob(tb, 'projector', 'tensor', q);
      assert.deepEqual([...new Float32Array(t.buffer, t.byteOffset, t.length / 4)], W.embedding.rows.flat().map(f32));
      assert.equal((await blob(tb, 'projector', 'metadata', q)).toString('utf8'), W.embedding.labels.join('\n') + '\n');
      const sprite = PNG.sync.read(await blob(tb, 'projector', 'sprite_image', q));
      assert.deepEqual([sprite.width, sprite.height], [4, 4]);
    },
  },
];

/** The text of each `<tag>` cell (TensorBoard wraps each cell's markdown in <p>). */
function cells(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<(${tag})>(?:<p>)?([\\s\\S]*?)(?:</p>)?</\\1>`, 'g'))].map((m) => m[2]);
}
