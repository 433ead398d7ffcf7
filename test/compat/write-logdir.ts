/**
 * Writes the compatibility logdir: every summary type through tbkit's PUBLIC API (the entries
 * `src/index` and `src/tfjs/index` only, so the test survives any reshuffle of src/), with the
 * inputs kept in `W` so the checks compare what TensorBoard serves with what was written.
 *
 * Runs (directories under the logdir):
 *   scalars          tensor-format scalars (`scalar`, `scalars`, a description, a large step)
 *   scalars-simple   the same curve as legacy `simple_value` scalars
 *   media            histogram, image, images, text (markdown, list, 2-D table), audio, PR curve,
 *                    custom-scalars layout
 *   graph-sequential / graph-functional   tfjs LayersModels through `graph()`
 *   projector        an embedding with labels and a sprite
 *   hp/<name>        three HParams sessions, each calling hparams() with its final metrics at the
 *                    end of training (the natural use, issue 12 item 1)
 *   other/sgd-m0.9   a session of another experiment in the same logdir (other hparams, issue 12
 *                    item 2: the table must stay right for both)
 *   session          MonitoredTrainingSession + StopAtStepHook + SummarySaverHook (TF1 timing)
 *   session-modulo   the same with the experiment's `mode: 'modulo'` saver (issue 12 item 6)
 */
import * as path from 'node:path';
import { MonitoredTrainingSession, StopAtStepHook, SummarySaverHook, SummaryWriter } from '../../src/index';

const BASE = 1_700_000_000;

/** Deterministic samples for the histogram at `step` (1000 values, spread unevenly). */
export function histogramValues(step: number): Float64Array {
  const v = new Float64Array(1000);
  for (let i = 0; i < v.length; i++) v[i] = Math.sin(i * 0.37) * (1 + (i % 7) / 7) + 0.1 * step;
  return v;
}

/** An RGB image whose pixels encode their position (so a decoded PNG can be compared exactly). */
export function rgbImage(width: number, height: number, seed: number): { data: Uint8Array; width: number; height: number; channels: 3 } {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      data[p] = (x * 40 + seed) & 255;
      data[p + 1] = (y * 60 + seed * 3) & 255;
      data[p + 2] = (x * y * 7 + 11 * seed) & 255;
    }
  }
  return { data, width, height, channels: 3 };
}

export function sine(frames: number, hz: number, rate: number, amp: number): Float32Array {
  const s = new Float32Array(frames);
  for (let i = 0; i < frames; i++) s[i] = amp * Math.sin((2 * Math.PI * hz * i) / rate);
  return s;
}

/** What was written, for the checks. */
export const W = {
  base: BASE,
  loss: (s: number): number => 1 / (s + 1),
  lossSteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  bigStep: 2 ** 40,
  histogramSteps: [0, 5, 9],
  histogramBins: 30,
  image: { tag: 'input', step: 0, img: rgbImage(4, 3, 1) },
  images: { tag: 'samples', step: 1, imgs: [rgbImage(5, 2, 2), rgbImage(5, 2, 3), rgbImage(5, 2, 4)] },
  markdown: '# Hello\n*markdown* text',
  list: ['first', 'second'],
  table: [['epoch', 'cost'], ['0', '0.42'], ['1', '0.17']],
  audio: { tag: 'tone', step: 2, rate: 8000, samples: sine(800, 440, 8000, 0.5), label: 'a 440 Hz tone' },
  stereo: { tag: 'stereo', step: 0, rate: 4000, channels: [sine(200, 220, 4000, 0.25), sine(200, 330, 4000, -0.75)] },
  pr: {
    tag: 'pr', step: 3, numThresholds: 11,
    labels: [true, false, true, true, false, false, true, false, true, false],
    predictions: [0.95, 0.85, 0.75, 0.55, 0.45, 0.35, 0.25, 0.15, 0.65, 0.05],
  },
  layout: { Losses: { both: ['Multiline', ['loss', 'multi/.*']] as ['Multiline', string[]] }, Bands: { band: ['Margin', ['multi/a', 'multi/b', 'loss']] as ['Margin', [string, string, string]] } },
  embedding: {
    rows: [[0.1, 0.2, 0.3], [1, 0, -1], [0.5, 0.25, 0.125], [-2, 4, 8]],
    labels: ['zero', 'one', 'two', 'three'],
  },
  hpValidationSteps: [100, 200, 300, 400, 500, 600, 700, 800, 900],
  /** The BN experiment's hparams: use_bn and learning_rate vary, the rest is equal in every run. */
  hpRuns: [
    { name: 'hp/nobn-lr0.01', use_bn: false, learning_rate: 0.01, accuracy: 0.1012, cost: 20.6963 },
    { name: 'hp/bn-lr0.01', use_bn: true, learning_rate: 0.01, accuracy: 0.9848, cost: 0.0614 },
    { name: 'hp/nobn-lr0.001', use_bn: false, learning_rate: 0.001, accuracy: 0.9782, cost: 0.1005 },
  ],
  hpCommon: { batch_size: 100, epochs: 5, backend: 'wasm', dataset: 'mnist', normalize: false },
  /** A run of another experiment: hparams of its own, one shared name (learning_rate). */
  other: { name: 'other/sgd-m0.9', hparams: { optimizer: 'sgd', momentum: 0.9, learning_rate: 0.1 }, accuracy: 0.5, steps: [10, 20] },
  /** Validation curve of an hparams run: rises to the final accuracy at the last step. */
  accuracyAt: (final: number, step: number): number => final * (step / 900),
  sessionLastStep: 250,
  sessionSaveSteps: 100,
  sessionCost: (step: number): number => 2 / step,
};

export const RUNS = [
  'scalars', 'scalars-simple', 'media', 'graph-sequential', 'graph-functional', 'projector',
  ...W.hpRuns.map((r) => r.name), W.other.name, 'session', 'session-modulo',
];

async function writeScalars(logdir: string): Promise<void> {
  const w = new SummaryWriter(path.join(logdir, 'scalars'));
  const simple = new SummaryWriter(path.join(logdir, 'scalars-simple'), { scalarFormat: 'simple_value' });
  for (const s of W.lossSteps) {
    const wallTime = BASE + s;
    w.scalar('loss', W.loss(s), s, { wallTime, description: 'training loss', displayName: 'Loss' });
    w.scalars({ 'multi/a': s, 'multi/b': -2 * s }, s, { wallTime });
    simple.scalar('loss', W.loss(s), s, { wallTime });
  }
  w.scalar('big', 7, W.bigStep, { wallTime: BASE + 100 });
  await Promise.all([w.close(), simple.close()]);
}

async function writeMedia(logdir: string): Promise<void> {
  const w = new SummaryWriter(path.join(logdir, 'media'));
  for (const s of W.histogramSteps) w.histogram('weights', histogramValues(s), s, { wallTime: BASE + s, bins: W.histogramBins });
  w.image(W.image.tag, W.image.img, W.image.step, { description: 'one RGB image' });
  w.images(W.images.tag, W.images.imgs, W.images.step);
  w.text('notes', W.markdown, 0);
  w.text('list', W.list, 0);
  w.text('table', W.table, 0);
  w.audio(W.audio.tag, W.audio.samples, W.audio.step, { sampleRate: W.audio.rate, label: W.audio.label });
  w.audio(W.stereo.tag, W.stereo.channels, W.stereo.step, { sampleRate: W.stereo.rate });
  w.prCurve(W.pr.tag, W.pr.labels, W.pr.predictions, W.pr.step, { numThresholds: W.pr.numThresholds });
  w.customScalars(W.layout);
  await w.close();
}

async function writeGraphs(logdir: string): Promise<void> {
  // Loaded here, not at the top: a skipped test (no TensorBoard) should not pay for tfjs.
  const { selectBackend } = await import('../../src/tfjs/index');
  const { tf } = await selectBackend('cpu', { log: () => undefined });
  const seq = tf.sequential({
    name: 'seq',
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, name: 'conv' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
  });
  // A functional model with a branch and a merge: edges cannot come from layer order alone.
  const x = tf.input({ shape: [4], name: 'x' });
  const a = tf.layers.dense({ units: 3, name: 'a' }).apply(x) as typeof x;
  const b = tf.layers.dense({ units: 3, name: 'b' }).apply(x) as typeof x;
  const sum = tf.layers.add({ name: 'sum' }).apply([a, b]) as typeof x;
  const out = tf.layers.dense({ units: 2, name: 'y' }).apply(sum) as typeof x;
  const fn = tf.model({ inputs: x, outputs: out, name: 'fn' });
  const ws = new SummaryWriter(path.join(logdir, 'graph-sequential'));
  const wf = new SummaryWriter(path.join(logdir, 'graph-functional'));
  ws.graph(seq);
  wf.graph(fn);
  await Promise.all([ws.close(), wf.close()]);
  seq.dispose();
  fn.dispose();
}

async function writeProjector(logdir: string): Promise<void> {
  const w = new SummaryWriter(path.join(logdir, 'projector'));
  const sprites = W.embedding.rows.map((_, i) => ({ ...rgbImage(2, 2, i), channels: 3 as const }));
  w.embedding(W.embedding.rows, { metadata: W.embedding.labels, labelImages: sprites, tag: 'points' });
  await w.close();
}

async function writeHparams(logdir: string): Promise<void> {
  await Promise.all(W.hpRuns.map(async (r) => {
    const w = new SummaryWriter(path.join(logdir, r.name));
    for (const s of W.hpValidationSteps) {
      w.scalar('cost', 2 / s, s, { wallTime: BASE + s });
      w.scalars({ 'validation/accuracy': W.accuracyAt(r.accuracy, s), 'validation/cost': r.cost * (900 / s) }, s, { wallTime: BASE + s });
    }
    // The natural use: the final metrics at the end of training (the last logged values).
    w.hparams({ use_bn: r.use_bn, learning_rate: r.learning_rate, ...W.hpCommon }, { 'validation/accuracy': r.accuracy, 'validation/cost': r.cost }, { wallTime: BASE + 1000 });
    await w.close();
  }));
  const o = new SummaryWriter(path.join(logdir, W.other.name));
  for (const s of W.other.steps) o.scalar('validation/accuracy', W.accuracyAt(W.other.accuracy, s * 45), s, { wallTime: BASE + s });
  o.hparams(W.other.hparams, { 'validation/accuracy': W.other.accuracy }, { wallTime: BASE + 100 });
  await o.close();
}

async function writeSessions(logdir: string): Promise<void> {
  for (const [run, mode] of [['session', 'sinceLast'], ['session-modulo', 'modulo']] as const) {
    const session = await MonitoredTrainingSession.create({
      summaryDir: path.join(logdir, run),
      saveSummariesSteps: 0,
      logStepCountSteps: W.sessionSaveSteps,
      saveCheckpointSteps: 0,
      handleSignals: false,
      logger: () => undefined,
      hooks: [new StopAtStepHook({ lastStep: W.sessionLastStep }), new SummarySaverHook({ saveSteps: W.sessionSaveSteps, tags: ['cost'], mode })],
    });
    while (!session.shouldStop()) await session.run((ctx) => ({ cost: W.sessionCost(ctx.step) }));
    await session.close();
  }
}

/** Writes every run; returns when every file is closed. */
export async function writeLogdir(logdir: string): Promise<void> {
  await Promise.all([writeScalars(logdir), writeMedia(logdir), writeProjector(logdir), writeHparams(logdir)]);
  await writeGraphs(logdir);
  await writeSessions(logdir);
}
